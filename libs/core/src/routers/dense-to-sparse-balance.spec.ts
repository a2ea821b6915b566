import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { DenseToSparseRouter } from './dense-to-sparse-router.js';
import { disposeRouting } from './router.js';
import { MoeLayer, type MoeForward } from '../layers/moe-layer.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { disposeRoutingStats } from '../telemetry/routing-stats.js';

const D = 5;
const E = 4;
const ALPHA = 0.01;

function layerFor(router: DenseToSparseRouter): MoeLayer {
  return new MoeLayer(router, new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 3, seed: 2 }), { balanceWeight: ALPHA });
}

function disposeForward(f: MoeForward): void {
  tf.dispose([f.output, f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
}

/** EvoMoE's l_aux = E²·mean_e(me_e·ce_e) from the routing's selected ids and gate values, in float64 on the host. */
function evoMoeLoss(indices: number[][], gates: number[][]): number {
  const T = indices.length;
  const ce = new Array<number>(E).fill(0);
  const me = new Array<number>(E).fill(0);
  indices.forEach((row, t) =>
    row.forEach((e, j) => {
      if (e < 0) return;
      ce[e] += 1 / T;
      me[e] += gates[t][j] / T;
    }),
  );
  return E * E * (me.reduce((s, m, e) => s + m * ce[e], 0) / E);
}

describeEachBackend('DenseToSparseRouter balance loss (EvoMoE)', () => {
  for (const [phase, step] of [['dense', 0], ['sparse', 50]] as const) {
    it(`the layer adds E·Σ me·ce on the Gumbel-selected experts (${phase} phase)`, async () => {
      const router = new DenseToSparseRouter({ inputDim: D, numExperts: E, switchStep: 20, hardK: 2, gateInitScale: 2, seed: 3 });
      router.setStep(step);
      const layer = layerFor(router);
      const x = tf.randomNormal([8, D], 0, 1, 'float32', 5) as tf.Tensor2D;
      const options = { training: true, seed: 4, updateState: false };
      const r = router.route(x, options);
      if (r.mode !== 'token-choice') throw new Error('expected token-choice routing');
      const expected = evoMoeLoss((await r.indices.array()) as number[][], (await r.weights.array()) as number[][]);
      const selected = (await r.indices.data()).filter((e) => e >= 0).length;
      // The dense phase selects almost every expert per token; the sparse one exactly hardK.
      expect(selected).toBeGreaterThan(phase === 'dense' ? 8 * 2 : 8 * 2 - 1);
      disposeRouting(r);
      await expectNoLeaks(async () => {
        const f = layer.apply(x, options);
        const unweighted = tf.div(f.aux.parts.balance, ALPHA);
        await expectClose(unweighted, [expected], { atol: 1e-5 }, 'balance / α');
        tf.dispose([unweighted]);
        disposeForward(f);
      });
      x.dispose();
      layer.dispose();
    });
  }

  it('does not depend on how the experts are numbered (the first-choice form in expert order counted expert 0 only)', async () => {
    const a = new DenseToSparseRouter({ inputDim: D, numExperts: E, switchStep: 100, gateInitScale: 2, seed: 6 });
    const b = new DenseToSparseRouter({ inputDim: D, numExperts: E, switchStep: 100, gateInitScale: 2, seed: 6 });
    // b is a with its experts relabelled: b's expert j is a's expert perm[j].
    const perm = tf.tensor1d([2, 0, 3, 1], 'int32');
    const w = a.getWeights();
    const permuted = { 'gate.w': tf.gather(w['gate.w'], perm, 1) };
    b.setWeights(permuted);
    const [la, lb] = [layerFor(a), layerFor(b)];
    const x = tf.randomNormal([10, D], 0, 1, 'float32', 7);
    const [fa, fb] = [la.apply(x, { training: false }), lb.apply(x, { training: false })];
    await expectClose(fb.aux.parts.balance, fa.aux.parts.balance, { atol: 1e-6 }, 'balance after relabelling');
    [fa, fb].forEach(disposeForward);
    tf.dispose([perm, x, ...Object.values(w), ...Object.values(permuted)]);
    [la, lb].forEach((l) => l.dispose());
  });
});

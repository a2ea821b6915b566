import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { DenseFfn } from '../experts/dense-ffn.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { TopKRouter } from '../routers/top-k-router.js';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { ExpertChoiceRouter } from '../routers/expert-choice-router.js';
import { BiasBalancedRouter } from '../routers/bias-balanced-router.js';
import { ClusterRouter } from '../routers/cluster-router.js';
import { disposeRouting, type Router } from '../routers/router.js';
import { MoeLayer, type MoeForward } from './moe-layer.js';
import { disposeRoutingStats, readRoutingStats } from '../telemetry/routing-stats.js';

const D = 6;
const E = 4;
// [B = 2, S = 5]: the second sequence is left-padded, so its padding comes before its real tokens in the
// flattened order in which the dispatch plan hands out capacity slots.
const MASK = [
  [1, 1, 1, 0, 0],
  [0, 0, 1, 1, 1],
];
const REAL = [0, 1, 2, 7, 8, 9];
const PADDED = [3, 4, 5, 6];

function disposeForward(f: MoeForward): void {
  tf.dispose([f.output, f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
  f.state?.dispose();
}

function layerWith(router: Router, shared = false): MoeLayer {
  const experts = new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'gelu', seed: 4 });
  return new MoeLayer(router, experts, { zLossWeight: 1e-3, shared: shared ? new DenseFfn({ inputDim: D, hiddenDim: 3, seed: 5 }) : undefined });
}

/** Runs the layer on the padded batch with its mask and on the real tokens alone; compares everything. */
async function expectPaddingIgnored(layer: MoeLayer, options: { capacity?: number } = {}): Promise<void> {
  const x = tf.randomNormal([2, 5, D], 0, 1, 'float32', 11);
  const mask = tf.tensor2d(MASK);
  const [real, padded] = [tf.tensor1d(REAL, 'int32'), tf.tensor1d(PADDED, 'int32')];
  const compact = tf.tidy(() => tf.gather(tf.reshape(x, [10, D]), real));
  await expectNoLeaks(async () => {
    const masked = layer.apply(x, { training: false, tokenMask: mask, ...options });
    const alone = layer.apply(compact, { training: false, ...options });
    expect(masked.output.shape).toEqual([2, 5, D]);
    const flat = tf.reshape(masked.output, [10, D]);
    const [realRows, padRows] = [tf.gather(flat, real), tf.gather(flat, padded)];
    await expectClose(realRows, alone.output, { atol: 1e-5 }, 'real rows');
    await expectClose(padRows, new Float32Array(PADDED.length * D), { atol: 0 }, 'padded rows');
    expect(Object.keys(masked.aux.parts).sort()).toEqual(Object.keys(alone.aux.parts).sort());
    for (const [name, part] of Object.entries(masked.aux.parts)) await expectClose(part, alone.aux.parts[name], { atol: 1e-6 }, `aux.${name}`);
    const [s, t] = [await readRoutingStats(masked.stats), await readRoutingStats(alone.stats)];
    expect(s.numTokens).toBe(REAL.length);
    for (const key of ['expertCounts', 'entropy', 'expertsPerToken', 'droppedRate', 'unroutedRate'] as const) {
      await expectClose(([] as number[]).concat(s[key]), ([] as number[]).concat(t[key]), { atol: 1e-5 }, `stats.${key}`);
    }
    tf.dispose([flat, realRows, padRows]);
    [masked, alone].forEach(disposeForward);
  });
  tf.dispose([x, mask, compact, real, padded]);
}

describeEachBackend('MoeLayer token mask for [B, S, d] input', () => {
  it('top-2 with capacity: padding takes no slot, outputs 0, and is out of f, P, the z-loss and the stats', async () => {
    // C = 2 rows per expert for 6 real tokens × 2 slots: tight enough that four padded tokens placed first
    // would take slots from the real ones that follow them.
    const layer = layerWith(new TopKRouter({ inputDim: D, numExperts: E, k: 2, gateInitScale: 2, seed: 3 }));
    await expectPaddingIgnored(layer, { capacity: 2 });
    layer.dispose();
  });

  it('dense routing with a shared expert: padded rows are 0, real rows and the z-loss as without padding', async () => {
    const layer = layerWith(new SoftmaxRouter({ inputDim: D, numExperts: E, gateInitScale: 2, seed: 1 }), true);
    await expectPaddingIgnored(layer);
    layer.dispose();
  });

  it('expert choice never picks a padded token while real ones remain', async () => {
    const router = new ExpertChoiceRouter({ inputDim: D, numExperts: E, capacityFactor: 1, gateInitScale: 2, seed: 5 });
    const layer = layerWith(router);
    const x = tf.randomNormal([10, D], 0, 1, 'float32', 12) as tf.Tensor2D;
    const mask = tf.tensor1d(MASK.flat());
    const r = router.route(x, { training: false, tokenMask: mask });
    if (r.mode !== 'expert-choice') throw new Error('expected expert-choice routing');
    // C = ⌈10/4⌉ = 3 ≤ 6 real tokens.
    expect(r.tokenIndices.shape).toEqual([E, 3]);
    (await r.tokenIndices.data()).forEach((t) => expect(PADDED).not.toContain(t));
    disposeRouting(r);
    const f = layer.apply(x, { training: false, tokenMask: mask });
    const padded = tf.tensor1d(PADDED, 'int32');
    const pad = tf.gather(f.output, padded);
    await expectClose(pad, new Float32Array(PADDED.length * D), { atol: 0 }, 'padded rows');
    tf.dispose([x, mask, pad, padded]);
    disposeForward(f);
    layer.dispose();
  });

  it('stateful routers update their state from the real tokens only (bias balancing, cluster centres)', async () => {
    const make = () => new BiasBalancedRouter({ inputDim: D, numExperts: E, k: 2, biasUpdateRate: 0.1, seed: 9 });
    const [masked, alone] = [make(), make()];
    const x = tf.randomNormal([10, D], 0, 1, 'float32', 13) as tf.Tensor2D;
    const mask = tf.tensor1d(MASK.flat());
    const compact = tf.tidy(() => tf.gather(x, tf.tensor1d(REAL, 'int32'))) as tf.Tensor2D;
    disposeRouting(masked.route(x, { training: true, tokenMask: mask }));
    disposeRouting(alone.route(compact, { training: true }));
    await expectClose(masked.bias, alone.bias, { atol: 1e-7 }, 'bias');
    const clusters = () => new ClusterRouter({ inputDim: D, numClusters: E, seed: 9 });
    const [maskedC, aloneC] = [clusters(), clusters()];
    disposeRouting(maskedC.route(x, { training: true, tokenMask: mask }));
    disposeRouting(aloneC.route(compact, { training: true }));
    await expectClose(maskedC.centres, aloneC.centres, { atol: 1e-6 }, 'centres');
    tf.dispose([x, mask, compact]);
    [masked, alone, maskedC, aloneC].forEach((r) => r.dispose());
  });
});

describeEachBackend('MoeLayer token mask arguments', () => {
  it('rejects a mask of the wrong shape or dtype, naming options.tokenMask', () => {
    const layer = layerWith(new TopKRouter({ inputDim: D, numExperts: E, k: 2, seed: 3 }));
    const x = tf.zeros([2, 5, D]);
    const wrong = tf.ones([10]);
    const strings = tf.tensor1d(['a']);
    expect(() => layer.apply(x, { training: false, tokenMask: wrong })).toThrow(/MoeLayer.apply: options.tokenMask must have the input's leading shape \[2,5\] \(1 = real token, 0 = padding\); got \[10\]/);
    expect(() => layer.apply(tf.zeros([1, D]), { training: false, tokenMask: strings })).toThrow(/options.tokenMask must be bool, int32 or float32; got string/);
    tf.dispose([x, wrong, strings]);
    layer.dispose();
  });
}, ['cpu']);

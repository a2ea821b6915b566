import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { BottleneckAdapters } from '../experts/bottleneck-adapters.js';
import { DenseFfn } from '../experts/dense-ffn.js';
import { Linear } from '../experts/linear.js';
import { LoraExperts } from '../experts/lora-experts.js';
import { RankOneExperts } from '../experts/rank-one-experts.js';
import { checkVariableGradients, randomizeVariables } from '@moe/testing';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { TopKRouter } from '../routers/top-k-router.js';
import { disposeRoutingStats } from '../telemetry/routing-stats.js';
import { FrequencyAdapterMixture } from './frequency-adapter-mixture.js';
import { MixtureOfAdapters } from './mixture-of-adapters.js';
import { MoeLayer, type MoeForward } from './moe-layer.js';
import { upcycle } from './upcycle.js';

const D = 6;

function dispose(f: MoeForward): void {
  tf.dispose([f.output, f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
}

describeEachBackend('adapters and upcycling', () => {
  it('upcycle: an MoE built from copies of a dense FFN computes that FFN; noise breaks the symmetry', async () => {
    const dense = new DenseFfn({ inputDim: D, hiddenDim: 8, activation: 'swiglu', seed: 1 });
    const layer = new MoeLayer(new TopKRouter({ inputDim: D, numExperts: 4, k: 2, dropless: true }), upcycle(dense, 4));
    const x = tf.randomNormal([9, D], 0, 1, 'float32', 2);
    const f = layer.apply(x, { training: false });
    const expected = dense.apply(x);
    await expectClose(f.output, expected, { atol: 1e-5 });
    const noisy = upcycle(dense, 4, { noise: 1e-2, seed: 3 });
    const w = noisy.getWeights();
    const gap = tf.tidy(() => {
      const [e0, e1] = tf.split(w['w1'], 4);
      return tf.max(tf.abs(tf.sub(e0, e1)));
    });
    expect((await gap.data())[0]).toBeGreaterThan(1e-3);
    const bam = upcycle([dense, new DenseFfn({ inputDim: D, hiddenDim: 8, activation: 'swiglu', seed: 9 })]);
    expect(bam.numExperts).toBe(2);
    expect(() => upcycle([dense, new DenseFfn({ inputDim: D, hiddenDim: 4, activation: 'swiglu' })])).toThrow(/upcycle: dense\[1\] has shape/);
    dispose(f);
    tf.dispose([x, expected, gap, ...Object.values(w)]);
    [dense, layer, noisy, bam].forEach((m) => m.dispose());
  });

  for (const [name, adapters, base] of [
    ['LoRA experts on a frozen Linear (MixLoRA)', () => new LoraExperts({ numExperts: 3, inputDim: D, outputDim: 4, rank: 2, alpha: 4, seed: 1 }), () => new Linear({ inputDim: D, outputDim: 4, trainable: false, seed: 2 })],
    ['rank-one experts on a frozen Linear (SMoRA)', () => new RankOneExperts({ numExperts: 3, inputDim: D, outputDim: 4, seed: 1 }), () => new Linear({ inputDim: D, outputDim: 4, trainable: false, seed: 2 })],
    ['bottleneck adapters beside a frozen FFN (MixDA)', () => new BottleneckAdapters({ numExperts: 3, inputDim: D, bottleneckDim: 2, seed: 1 }), () => new DenseFfn({ inputDim: D, hiddenDim: 8, trainable: false, seed: 2 })],
  ] as const) {
    it(`${name}: starts equal to the base, trains only router + adapters, gradients check`, async () => {
      const b = base();
      const mix = new MixtureOfAdapters(b, new TopKRouter({ inputDim: D, numExperts: 3, k: 2, dropless: true, gateInitScale: 2, seed: 4 }), adapters());
      const x = tf.randomNormal([5, D], 0, 1, 'float32', 3) as tf.Tensor2D;
      const f = mix.apply(x, { training: false });
      const baseOut = b.apply(x);
      await expectClose(f.output, baseOut, { atol: 1e-6 });
      dispose(f);
      const names = new Set(mix.trainableVariables().map((v) => v.name));
      for (const v of b.namedVariables().values()) expect(names.has(v.name)).toBe(false);
      randomizeVariables(mix.moe.experts.namedVariables(), 11, 0.4);
      await expectNoLeaks(async () => {
        const run = (a: tf.Tensor2D) => { const g = mix.apply(a, { training: false }); const out = tf.clone(g.output); dispose(g); return out; };
        await checkGradients((a) => run(a as tf.Tensor2D), [x], { eps: 1e-3, atol: 3e-2, rtol: 3e-2 });
        const probe = tf.randomUniform([5, b.outputDim], 0.5, 1.5, 'float32', 5);
        await checkVariableGradients(() => tf.sum(tf.mul(run(x), probe)) as tf.Scalar, mix.trainableVariables(), { eps: 1e-3, atol: 3e-2, rtol: 3e-2 });
        probe.dispose();
      });
      tf.dispose([x, baseOut]);
      mix.dispose();
    });
  }

  it('frequency-adapter mixture (Earth-Adapter): [B,H,W,C] in and out, dense 3-way routing, gradients check', async () => {
    const m = new FrequencyAdapterMixture({ channels: 3, adapterDim: 4, cutoff: 0.5, alpha: 0.5, seed: 2 });
    const x = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    await expectNoLeaks(async () => {
      const f = m.apply(x);
      expect(f.output.shape).toEqual([1, 4, 4, 3]);
      expect(f.stats.mode).toBe('dense');
      dispose(f);
      const run = (a: tf.Tensor4D) => { const g = m.apply(a); const out = tf.clone(g.output); dispose(g); return out; };
      await checkGradients((a) => run(a as tf.Tensor4D), [x], { maxCoordinates: 12 });
      const probe = tf.randomUniform([1, 4, 4, 3], 0.5, 1.5, 'float32', 5);
      await checkVariableGradients(() => tf.sum(tf.mul(run(x), probe)) as tf.Scalar, m.trainableVariables(), { maxCoordinates: 4 });
      probe.dispose();
    });
    x.dispose();
    m.dispose();
  });
}, testBackends().filter((b) => b !== 'webgpu'));

describe('adapter errors', () => {
  it('names the mismatch', () => {
    const base = new Linear({ inputDim: D, outputDim: 4 });
    const router = new SoftmaxRouter({ inputDim: D, numExperts: 2 });
    const lora = new LoraExperts({ numExperts: 2, inputDim: D, outputDim: 5, rank: 1 });
    expect(() => new MixtureOfAdapters(base, router, lora)).toThrow(/MixtureOfAdapters: adapters must map 6 → 4 like the base; got 6 → 5/);
    [base, router, lora].forEach((m) => m.dispose());
  });
});

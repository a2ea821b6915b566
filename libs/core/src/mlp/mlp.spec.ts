import * as tf from '@tensorflow/tfjs-core';
import { computeDispatchPlan, dispatch, disposeDispatchPlan } from '@moe/kernels';
import { checkGradients, checkVariableGradients, describeEachBackend, expectClose, expectNoLeaks, randomizeVariables, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { BatchNorm } from './batch-norm.js';
import { applyStateUpdates, discardStateUpdates, inferenceContext, trainingContext, type ForwardContext } from './forward-context.js';
import { Mlp } from './mlp.js';
import { MlpExperts } from './mlp-experts.js';

/** Runs `f` in a fresh training context and drops its state updates (gradient checks must not move state). */
function inTraining<T>(f: (ctx: ForwardContext) => T): T {
  const ctx = trainingContext();
  try {
    return f(ctx);
  } finally {
    discardStateUpdates(ctx);
  }
}

describeEachBackend('MLP blocks', () => {
  it('BatchNorm: training forward leaves the moving statistics alone; the returned updates move them by the momentum', async () => {
    const bn = new BatchNorm({ channels: 2, momentum: 0.75, epsilon: 1e-3 });
    const x = tf.tensor2d([[1, 10], [3, 20], [5, 60]]);
    const ctx = trainingContext();
    const y = bn.apply(x, ctx);
    // Batch statistics: mean [3, 30], population variance [8/3, 1400/3].
    await expectClose(y, [[-2 / Math.sqrt(8 / 3 + 1e-3), -20 / Math.sqrt(1400 / 3 + 1e-3)], [0, -10 / Math.sqrt(1400 / 3 + 1e-3)], [2 / Math.sqrt(8 / 3 + 1e-3), 30 / Math.sqrt(1400 / 3 + 1e-3)]].flat(), { atol: 1e-4 });
    expect(ctx.stateUpdates.length).toBe(2);
    await expectClose(bn.movingMean, [0, 0], { atol: 0 });
    applyStateUpdates(ctx);
    expect(ctx.stateUpdates.length).toBe(0);
    await expectClose(bn.movingMean, [0.25 * 3, 0.25 * 30], { atol: 1e-5 });
    await expectClose(bn.movingVar, [0.75 + 0.25 * (8 / 3), 0.75 + 0.25 * (1400 / 3)], { atol: 1e-3 });
    // Inference uses the moving statistics.
    const z = bn.apply(x, inferenceContext());
    await expectClose(tf.slice(z, [0, 0], [1, 1]), [(1 - 0.75) / Math.sqrt(0.75 + 0.25 * (8 / 3) + 1e-3)], { atol: 1e-5 });
    tf.dispose([x, y, z]);
    bn.dispose();
  });

  it('MlpExperts: each expert is Linear → BN → Swish per layer (formula oracle, 2 experts × 2 rows)', async () => {
    const bank = new MlpExperts({ numExperts: 2, inputDim: 2, sizes: [2], activation: 'swish', batchNorm: true, seed: 3 });
    const x = tf.tensor2d([[1, -2], [0.5, 3]]);
    const y = inTraining((ctx) => bank.applyAll(x, ctx));
    const weights = bank.getWeights();
    const w = (await Promise.all([0, 1].map((e) => weights[`expert${e}.w0`].array()))) as number[][][];
    const b = (await Promise.all([0, 1].map((e) => weights[`expert${e}.b0`].array()))) as number[][];
    tf.dispose(Object.values(weights));
    const xv = [[1, -2], [0.5, 3]];
    const expected = [0, 1].map((e) => {
      const h = xv.map((row) => [0, 1].map((j) => row[0] * w[e][0][j] + row[1] * w[e][1][j] + b[e][j]));
      return h.map((row) => row.map((v, j) => {
        const mean = (h[0][j] + h[1][j]) / 2;
        const variance = ((h[0][j] - mean) ** 2 + (h[1][j] - mean) ** 2) / 2;
        const n = (v - mean) / Math.sqrt(variance + 1e-3);
        return n / (1 + Math.exp(-n));
      }));
    });
    await expectClose(y, expected.flat(2), { atol: 1e-4 });
    tf.dispose([x, y]);
    bank.dispose();
  });

  it('MlpExperts: inference forwardGrouped on any plan = applyAll with moving statistics; training gradients match finite differences; no leaks', async () => {
    const bank = new MlpExperts({ numExperts: 3, inputDim: 4, sizes: [5, 3], activation: 'swish', batchNorm: true, seed: 4 });
    randomizeVariables(new Map([...bank.namedVariables()].filter(([k]) => k.includes('norm') && !k.endsWith('movingVar'))), 9, 0.4);
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    await expectNoLeaks(async () => {
      const all = bank.applyAll(x, inferenceContext());
      // forwardGrouped through an arbitrary layout: expert e's block is rows of tokens routed to it.
      const ids = tf.tensor2d([0, 2, 1, 1, 0, 2], [6, 1], 'int32');
      const plan = computeDispatchPlan(ids, 3);
      const grouped = tf.tidy(() => bank.forwardGrouped(dispatch(x, plan), plan));
      const pos = await plan.positions.data();
      const rows = await grouped.array();
      const allV = await all.array();
      [0, 2, 1, 1, 0, 2].forEach((e, t) => rows[pos[t]].forEach((v, j) => expect(v).toBeCloseTo(allV[e][t][j], 4)));
      tf.dispose([all, ids, grouped]);
      disposeDispatchPlan(plan);
      await checkGradients((a) => inTraining((ctx) => bank.applyAll(a as tf.Tensor2D, ctx)), [x], { eps: 3e-3, rtol: 3e-2 });
      const probe = tf.randomUniform([3, 6, 3], 0.5, 1.5, 'float32', 2);
      await checkVariableGradients(() => inTraining((ctx) => tf.sum(tf.mul(bank.applyAll(x, ctx), probe)) as tf.Scalar), bank.trainableVariables(), { eps: 3e-3, rtol: 3e-2, maxCoordinates: 4 });
      probe.dispose();
    });
    x.dispose();
    bank.dispose();
  });

  it('Mlp: linear output, BN layers; gradients match finite differences', async () => {
    const mlp = new Mlp({ inputDim: 3, sizes: [4, 2], batchNorm: true, linearOutput: true, seed: 5 });
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 3) as tf.Tensor2D;
    await expectNoLeaks(async () => {
      await checkGradients((a) => inTraining((ctx) => mlp.apply(a as tf.Tensor2D, ctx)), [x], { eps: 3e-3, rtol: 3e-2 });
      await checkVariableGradients(() => inTraining((ctx) => tf.sum(tf.square(mlp.apply(x, ctx))) as tf.Scalar), mlp.trainableVariables(), { eps: 3e-3, rtol: 3e-2, maxCoordinates: 4 });
    });
    // The last layer is linear: one BN (layer 0) only.
    expect([...mlp.namedVariables().keys()].filter((k) => k.startsWith('norm')).sort()).toEqual(['norm0.beta', 'norm0.gamma', 'norm0.movingMean', 'norm0.movingVar']);
    x.dispose();
    mlp.dispose();
  });
}, testBackends().filter((b) => b !== 'webgpu'));

describe('MLP argument errors', () => {
  it('name the field', () => {
    expect(() => new Mlp({ inputDim: 3, sizes: [0] })).toThrow(/Mlp: layers.sizes/);
    expect(() => new MlpExperts({ numExperts: 2, inputDim: 3, sizes: [2], activation: 'swiglu' as never })).toThrow(/MlpExperts: layers.activation must be one of relu, gelu, swish, identity; got "swiglu"/);
    expect(() => new BatchNorm({ channels: 2, momentum: 1.5 })).toThrow(/BatchNorm: momentum must be a finite number in \[0, 1\]; got 1.5/);
    const bn = new BatchNorm({ channels: 2, groups: 3 });
    const bad = tf.zeros([2, 4, 2]) as tf.Tensor3D;
    expect(() => bn.apply(bad, inferenceContext())).toThrow(/BatchNorm: x must be \[3, B, 2\]; got \[2,4,2\]/);
    bad.dispose();
    bn.dispose();
  });
});

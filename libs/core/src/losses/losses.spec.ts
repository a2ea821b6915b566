import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, useBackend } from '@moe/testing';
import { loadBalancingLoss, nullAwareBalanceLoss, selectedGateBalanceLoss } from './balance.js';
import { routerZLoss } from './z-loss.js';
import { cvSquared, importanceLoss, loadLoss, smoothLoad } from './cv-squared.js';
import { routingEntropyLoss } from './entropy.js';
import { DEFAULT_LOSS_COEFFICIENTS } from './coefficients.js';

// Hand-computed oracles: every expected number below is worked out in the comment beside it.
const PROBS = [
  [0.7, 0.2, 0.1],
  [0.1, 0.6, 0.3],
  [0.2, 0.2, 0.6],
  [0.5, 0.3, 0.2],
];
const IDX = [
  [0, 1],
  [1, 2],
  [2, 0],
  [0, 1],
];

describeEachBackend('aux losses', () => {
  it('Switch balance, first-choice: f=[.5,.25,.25], P=[.375,.325,.3] → 3·0.34375 = 1.03125', async () => {
    const probs = tf.tensor2d(PROBS);
    const idx = tf.tensor2d(IDX, undefined, 'int32');
    await expectNoLeaks(async () => {
      const l = loadBalancingLoss(probs, idx, { form: 'first-choice' });
      await expectClose(l, [1.03125], { atol: 1e-5 });
      return l;
    });
    tf.dispose([probs, idx]);
  });

  it('Switch balance, all-k: f=[3,3,2]/8 → 3·0.3375 = 1.0125', async () => {
    const l = tf.tidy(() => loadBalancingLoss(tf.tensor2d(PROBS), tf.tensor2d(IDX, undefined, 'int32'), { form: 'all-k' }));
    await expectClose(l, [1.0125], { atol: 1e-5 });
    l.dispose();
  });

  it('Switch balance is 1 at perfect balance (both forms) and ignores -1 slots and masked tokens', async () => {
    const uniform = tf.fill([4, 4], 0.25) as tf.Tensor2D;
    const balanced = tf.tensor2d([[0, 1], [1, 2], [2, 3], [3, 0]], undefined, 'int32');
    for (const form of ['first-choice', 'all-k'] as const) await expectClose(tf.tidy(() => loadBalancingLoss(uniform, balanced, { form })), [1], { atol: 1e-6 });
    // Token 3 is padding: f and P come from tokens 0..2 only → first-choice f=[1/3,1/3,1/3,0], P=.25 → 4·.25 = 1.
    const mask = tf.tensor1d([1, 1, 1, 0]);
    await expectClose(tf.tidy(() => loadBalancingLoss(uniform, balanced, { tokenMask: mask })), [1], { atol: 1e-6 });
    // A -1 slot counts for no expert: all-k f=[1,1,1,0]/8 (out of T·k = 8), P=.25 → 4·(3/8·.25) = 0.375.
    const withNull = tf.tensor2d([[0, -1], [1, -1], [2, -1], [-1, -1]], undefined, 'int32');
    await expectClose(tf.tidy(() => loadBalancingLoss(uniform, withNull, { form: 'all-k' })), [0.375], { atol: 1e-6 });
    tf.dispose([uniform, balanced, mask, withNull]);
  });

  it('Switch balance gradient flows through P only (d/dP_e = E·f_e)', async () => {
    const probs = tf.tensor2d(PROBS);
    const idx = tf.tensor2d(IDX, undefined, 'int32');
    await checkGradients((p) => loadBalancingLoss(p as tf.Tensor2D, idx), [probs]);
    // Closed form: d/dprobs[t,e] = E·f_e/T = 3·[.5,.25,.25]/4.
    const g = tf.grad((p: tf.Tensor) => loadBalancingLoss(p as tf.Tensor2D, idx))(probs);
    await expectClose(tf.slice(g, [0, 0], [1, 3]), [0.375, 0.1875, 0.1875], { atol: 1e-6 });
    tf.dispose([probs, idx, g]);
  });

  it('null-aware balance: f=[.5,0,.5→.25,.25], P=[.3,.25,.2,.25] → 4·0.2625 = 1.05', async () => {
    const p = tf.tensor2d([[0.4, 0.3, 0.2, 0.1], [0.2, 0.2, 0.2, 0.4]]);
    const idx = tf.tensor2d([[0], [3]], undefined, 'int32');
    await expectClose(tf.tidy(() => nullAwareBalanceLoss(p, idx, 2)), [1.05], { atol: 1e-6 });
    expect(() => nullAwareBalanceLoss(p, idx, 4)).toThrow(/numReal must be an integer in \[1, 3\]/);
    tf.dispose([p, idx]);
  });

  it('EvoMoE selected-gate balance: ce=[.5,1,.5], me=[.3,.4,.2] → 3·0.65 = 1.95 (every selected expert counts)', async () => {
    // Dense-phase layout: one column per expert in expert order, -1 where the gate was below the threshold.
    const idx = tf.tensor2d([[0, 1, -1], [-1, 1, 2]], undefined, 'int32');
    const gates = tf.tensor2d([[0.6, 0.3, 0], [0, 0.5, 0.4]]);
    await expectClose(tf.tidy(() => selectedGateBalanceLoss(idx, gates, 3)), [1.95], { atol: 1e-6 });
    // Token 1 is padding: ce=[1,1,0], me=[.6,.3,0] → 3·0.9 = 2.7.
    const mask = tf.tensor1d([1, 0]);
    await expectClose(tf.tidy(() => selectedGateBalanceLoss(idx, gates, 3, mask)), [2.7], { atol: 1e-6 });
    // The gradient flows through the gate values only: d/dw[t,j] = E·ce_e/T at e = idx[t,j] → [[.75,1.5,0],[0,1.5,.75]].
    const g = tf.grad((w: tf.Tensor) => selectedGateBalanceLoss(idx, w as tf.Tensor2D, 3))(gates);
    await expectClose(g, [0.75, 1.5, 0, 0, 1.5, 0.75], { atol: 1e-6 });
    expect(() => selectedGateBalanceLoss(idx, tf.zeros([2, 2]) as tf.Tensor2D, 3)).toThrow(/weights must have the shape of indices \[2,3\]; got \[2,2\]/);
    tf.dispose([idx, gates, mask, g]);
  });

  it('every per-token loss with a token mask equals the loss of the real tokens alone', async () => {
    const logits = tf.tensor2d([[0.3, -1.2, 0.5], [2, 0.1, -0.4], [9, -3, 4], [-0.7, 0.2, 1.1]]);
    const noisy = tf.tensor2d([[0.5, -1, 0.2], [1.7, 0.4, -0.1], [8, -2, 5], [-0.2, 0.1, 1.5]]);
    const std = tf.fill([4, 3], 0.7) as tf.Tensor2D;
    const idx = tf.tensor2d([[0, 1], [1, 2], [2, 0], [0, 1]], undefined, 'int32');
    const mask = tf.tensor1d([1, 1, 0, 1]); // token 2 (with extreme logits) is padding
    const real = tf.tensor1d([0, 1, 3], 'int32');
    const rows = (t: tf.Tensor2D) => tf.gather(t, real) as tf.Tensor2D;
    const pairs: [string, () => tf.Tensor, () => tf.Tensor][] = [
      ['z-loss', () => routerZLoss(logits, mask), () => routerZLoss(rows(logits))],
      ['entropy', () => routingEntropyLoss(tf.softmax(logits), mask), () => routingEntropyLoss(tf.softmax(rows(logits)))],
      ['smooth load', () => smoothLoad(logits, noisy, std, 1, mask), () => smoothLoad(rows(logits), rows(noisy), rows(std), 1)],
      ['null-aware balance', () => nullAwareBalanceLoss(tf.softmax(logits), idx, 2, mask), () => nullAwareBalanceLoss(tf.softmax(rows(logits)), rows(idx), 2)],
      ['Switch balance', () => loadBalancingLoss(tf.softmax(logits), idx, { tokenMask: mask }), () => loadBalancingLoss(tf.softmax(rows(logits)), rows(idx))],
    ];
    for (const [name, masked, compact] of pairs) {
      const [a, b] = [tf.tidy(masked), tf.tidy(compact)];
      await expectClose(a, b, { atol: 1e-6 }, name);
      tf.dispose([a, b]);
    }
    expect(() => routerZLoss(logits, tf.ones([3]) as tf.Tensor1D)).toThrow(/routerZLoss: tokenMask must have shape \[4\]; got \[3\]/);
    tf.dispose([logits, noisy, std, idx, mask, real]);
  });

  it('z-loss: rows [0,0] and [1,1] → ((ln2)² + (1+ln2)²)/2 = 1.673600', async () => {
    const logits = tf.tensor2d([[0, 0], [1, 1]]);
    await expectClose(tf.tidy(() => routerZLoss(logits)), [(Math.LN2 ** 2 + (1 + Math.LN2) ** 2) / 2], { atol: 1e-5 });
    await checkGradients((l) => routerZLoss(l as tf.Tensor2D), [tf.tensor2d([[0.3, -1.2, 0.5], [2, 0.1, -0.4]])]);
    logits.dispose();
  });

  it('CV²: [1,2,3] → (2/3)/4 = 1/6; [2,2,2] → 0 with a finite gradient', async () => {
    await expectClose(tf.tidy(() => cvSquared(tf.tensor1d([1, 2, 3]))), [1 / 6], { atol: 1e-6 });
    const flat = tf.tensor1d([2, 2, 2]);
    await expectClose(tf.tidy(() => cvSquared(flat)), [0], { atol: 1e-7 });
    const g = tf.grad((v: tf.Tensor) => cvSquared(v as tf.Tensor1D))(flat);
    await expectClose(g, [0, 0, 0], { atol: 1e-6 }); // NaN here would be the std-based bug
    await checkGradients((v) => cvSquared(v as tf.Tensor1D), [tf.tensor1d([0.5, 1.5, 3, 2])]);
    // importance of gates [[.6,.4,0],[0,.3,.7]] = [.6,.7,.7] → var .00222…/mean² .4444… = 0.005
    await expectClose(tf.tidy(() => importanceLoss(tf.tensor2d([[0.6, 0.4, 0], [0, 0.3, 0.7]]))), [0.005], { atol: 1e-6 });
    tf.dispose([flat, g]);
  });

  it('smooth load: clean [0,1,2], noisy [.5,1.5,1], σ=1, k=1 → [Φ(−1.5), Φ(0), Φ(.5)]', async () => {
    const clean = tf.tensor2d([[0, 1, 2]]);
    const noisy = tf.tensor2d([[0.5, 1.5, 1]]);
    const std = tf.ones([1, 3]) as tf.Tensor2D;
    // Expert 1 is in (threshold = 2nd noisy value 1.0); experts 0 and 2 are out (threshold = 1st value 1.5).
    await expectClose(tf.tidy(() => smoothLoad(clean, noisy, std, 1)), [0.0668072, 0.5, 0.6914625], { atol: 1e-5 });
    await checkGradients((c, s) => loadLoss(c as tf.Tensor2D, noisy, s as tf.Tensor2D, 1), [tf.tensor2d([[0.1, 0.9, 2.2]]), tf.tensor2d([[1, 0.8, 1.3]])]);
    expect(() => smoothLoad(clean, noisy, std, 3)).toThrow(/k must be an integer in \[1, 2\]/);
    tf.dispose([clean, noisy, std]);
  });

  it('routing entropy: rows [.5,.5] and [1,0] → ln2/2', async () => {
    await expectClose(tf.tidy(() => routingEntropyLoss(tf.tensor2d([[0.5, 0.5], [1, 0]]))), [Math.LN2 / 2], { atol: 1e-6 });
  });
}, ['cpu', 'wasm', 'webgpu']);

describe('aux loss arguments', () => {
  beforeAll(() => useBackend('cpu'));
  it('rejects bad shapes, dtypes and forms with the argument named', () => {
    const p = tf.tensor2d(PROBS);
    expect(() => loadBalancingLoss(p, tf.tensor2d(IDX), {})).toThrow(/indices must be int32; got float32/);
    expect(() => loadBalancingLoss(p, tf.tensor2d([[0]], undefined, 'int32'))).toThrow(/indices must have shape \[4, k\]/);
    expect(() => loadBalancingLoss(p, tf.tensor2d(IDX, undefined, 'int32'), { form: 'top1' as never })).toThrow(/options.form must be/);
    expect(() => routerZLoss(tf.tensor1d([1]) as never)).toThrow(/logits must have shape \[T, E\]/);
    expect(DEFAULT_LOSS_COEFFICIENTS.switchBalance).toBe(0.01);
    expect(DEFAULT_LOSS_COEFFICIENTS.zLoss).toBe(0.001);
    p.dispose();
  });
});

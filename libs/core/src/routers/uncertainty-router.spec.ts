import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { uncertaintyCalibration } from './uncertainty-router.js';

type Vec = number[];
type Mat = number[][];

/** 3×3 inverse by cofactors, in float64: the hand computation the spec compares with. */
function inverse3(m: Mat): Mat {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  const adj = [
    [A, -(b * i - c * h), b * f - c * e],
    [B, a * i - c * g, -(a * f - c * d)],
    [C, -(a * h - b * g), a * e - b * d],
  ];
  return adj.map((row) => row.map((v) => v / det));
}

/** r̃ = (Σ + λI)⁻¹(r − μ) / ‖·‖ with μ the mean and Σ the population covariance of the draws. */
function calibrateByHand(r: Vec, draws: Mat, ridge: number): Vec {
  const M = draws.length;
  const mu = [0, 1, 2].map((e) => draws.reduce((s, d) => s + d[e], 0) / M);
  const sigma = [0, 1, 2].map((i) => [0, 1, 2].map((j) => draws.reduce((s, d) => s + (d[i] - mu[i]) * (d[j] - mu[j]), 0) / M + (i === j ? ridge : 0)));
  const inv = inverse3(sigma);
  const y = inv.map((row) => row.reduce((s, v, j) => s + v * (r[j] - mu[j]), 0));
  const norm = Math.hypot(...y);
  return y.map((v) => v / norm);
}

// Two tokens, E = 3, M = 3 fixed Monte-Carlo samples of a top-2 router (each draw is a softmax over its 2 experts).
const R: Mat = [
  [0.65, 0.35, 0],
  [0, 0.45, 0.55],
];
const DRAWS: Mat[] = [
  [
    [0.7, 0.3, 0],
    [0.5, 0.5, 0],
    [0.6, 0, 0.4],
  ],
  [
    [0, 0.4, 0.6],
    [0.2, 0, 0.8],
    [0, 0.5, 0.5],
  ],
];
const RIDGE = 0.01;

describeEachBackend('UncertaintyRouter calibration Σ⁻¹(r − μ)', () => {
  it('matches a float64 hand computation for fixed Monte-Carlo samples', async () => {
    // Token 0 worked out: μ = [.6, .26667, .13333]; r − μ = [.05, .08333, −.13333]; Σ has rows summing to ~λ
    // (draws lie on the simplex), so the ridge sets the scale along [1,1,1] and the direction is what counts.
    const expected = R.map((r, t) => calibrateByHand(r, DRAWS[t], RIDGE));
    const r = tf.tensor2d(R);
    const draws = tf.tensor3d(DRAWS);
    const out = await expectNoLeaks(() => uncertaintyCalibration(r, draws, RIDGE));
    expect(out.shape).toEqual([2, 3]);
    await expectClose(out, expected.flat(), { atol: 2e-4 });
    // Not the covariance itself, nor the plain deviation: the inverse changes the direction.
    const plain = R.map((row, t) => {
      const mu = [0, 1, 2].map((e) => DRAWS[t].reduce((s, d) => s + d[e], 0) / 3);
      const dev = row.map((v, e) => v - mu[e]);
      const n = Math.hypot(...dev);
      return dev.map((v) => v / n);
    });
    const gap = Math.max(...expected.flat().map((v, i) => Math.abs(v - plain.flat()[i])));
    expect(gap).toBeGreaterThan(0.05);
    expect(() => uncertaintyCalibration(tf.zeros([2, 2]) as tf.Tensor2D, draws, RIDGE)).toThrow(/r must have shape \[2, 3\]/);
    tf.dispose([r, draws, out]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { describe, expect, it, beforeAll } from 'vitest';
import { disposeRouting, type TokenChoiceRouting } from '@moe/core';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, useBackend, variablesAsInputs } from '@moe/testing';
import { UncertaintyCalibratedRouter } from './uncertainty-calibrated-router.js';

const E = 4;
const K = 2;

/** Weights by hand from the plain logits and the samples: softmax over the top-k of ℓ/√(1 + κ·Var_m ℓ_m). */
function expectedWeights(plain: number[][], samples: number[][][], kappa: number, k: number): { idx: number[][]; w: number[][] } {
  const idx: number[][] = [];
  const w: number[][] = [];
  plain.forEach((row, t) => {
    const cal = row.map((l, e) => {
      const s = samples.map((m) => m[t][e]);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      const variance = s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length;
      return l / Math.sqrt(1 + kappa * variance);
    });
    const order = cal.map((v, e) => [v, e] as const).sort((a, b) => b[0] - a[0]).slice(0, k);
    const z = cal.reduce((a, v) => a + Math.exp(v), 0);
    const p = order.map(([v]) => Math.exp(v) / z);
    const sum = p.reduce((a, b) => a + b, 0);
    idx.push(order.map(([, e]) => e));
    w.push(p.map((v) => v / sum));
  });
  return { idx, w };
}

describe('UncertaintyCalibratedRouter semantics', () => {
  beforeAll(() => useBackend('cpu'));

  it('weights are the top-k softmax of the uncertainty-shrunk logits, not of the plain ones', async () => {
    const r = new UncertaintyCalibratedRouter({ inputDim: 6, numExperts: E, k: K, samples: 5, dropout: 0.3, gateInitScale: 8, seed: 3 });
    const x = tf.randomNormal([10, 6], 0, 1, 'float32', 5) as tf.Tensor2D;
    const seed = 77;
    const { plain, samples } = r.sampleLogits(x, seed);
    const p = (await plain.array()) as number[][];
    const s = (await samples.array()) as number[][][];
    const out = r.route(x, { training: false, seed }) as TokenChoiceRouting;
    const got = (await out.weights.array()) as number[][];
    const gotIdx = (await out.indices.array()) as number[][];
    const calibrated = expectedWeights(p, s, Math.PI / 8, K);
    expect(gotIdx).toEqual(calibrated.idx);
    await expectClose(got.flat(), calibrated.w.flat(), { atol: 1e-5 });
    // A router that ignored the uncertainty (κ = 0: plain top-k softmax) gives different weights: this test fails for it.
    const ignoring = expectedWeights(p, s, 0, K);
    const diff = Math.max(...got.flat().map((v, i) => Math.abs(v - ignoring.w.flat()[i])));
    expect(diff).toBeGreaterThan(1e-3);
    // And more uncertainty (higher dropout) moves the mixture towards uniform on average.
    const noisy = new UncertaintyCalibratedRouter({ inputDim: 6, numExperts: E, k: K, samples: 5, dropout: 0.6, gateInitScale: 8, seed: 3 });
    const out2 = noisy.route(x, { training: false, seed }) as TokenChoiceRouting;
    const top = async (o: TokenChoiceRouting) => Array.from(await tf.max(o.weights, 1).data()).reduce((a, b) => a + b, 0);
    expect(await top(out2)).toBeLessThan(await top(out));
    const mi = r.uncertainty(x, seed);
    expect((await mi.mutualInformation.data()).every((v) => v >= 0)).toBe(true);
    tf.dispose([plain, samples, x, mi.mutualInformation, mi.entropy]);
    disposeRouting(out);
    disposeRouting(out2);
    r.dispose();
    noisy.dispose();
  });

  it('is deterministic in evaluation and differs across training calls', async () => {
    const r = new UncertaintyCalibratedRouter({ inputDim: 6, numExperts: E, k: K, gateInitScale: 8, seed: 4 });
    const x = tf.randomNormal([8, 6], 0, 1, 'float32', 6) as tf.Tensor2D;
    const a = r.route(x, { training: false });
    const b = r.route(x, { training: false });
    expect(Array.from(await a.weights.data())).toEqual(Array.from(await b.weights.data()));
    const c = r.route(x, { training: true });
    const d = r.route(x, { training: true });
    expect(Array.from(await c.weights.data())).not.toEqual(Array.from(await d.weights.data()));
    [a, b, c, d].forEach(disposeRouting);
    x.dispose();
    r.dispose();
  });

  it('rejects bad configs naming the field', () => {
    expect(() => new UncertaintyCalibratedRouter({ inputDim: 4, numExperts: 4, dropout: 0 })).toThrow(/dropout must be in \(0, 1\)/);
    expect(() => new UncertaintyCalibratedRouter({ inputDim: 4, numExperts: 4, k: 5 })).toThrow(/k must be an integer in \[1, numExperts = 4\]/);
    expect(() => new UncertaintyCalibratedRouter({ inputDim: 4, numExperts: 4, samples: 1 })).toThrow(/samples must be an integer ≥ 2/);
    expect(() => new UncertaintyCalibratedRouter({ inputDim: 4, numExperts: 4, kappa: -1 })).toThrow(/kappa/);
    expect(() => new UncertaintyCalibratedRouter({ inputDim: 4, numExperts: 4, bogus: 1 } as never)).toThrow(/bogus/);
  });
});

describeEachBackend('UncertaintyCalibratedRouter gradients', () => {
  it('match finite differences for the gate weights and the input (fixed MC seed), without leaks', async () => {
    const r = new UncertaintyCalibratedRouter({ inputDim: 5, numExperts: E, k: K, samples: 4, dropout: 0.2, gateInitScale: 6, seed: 21 });
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const run = (xi: tf.Tensor2D) =>
      tf.tidy(() => {
        const o = r.route(xi, { training: true, seed: 99 });
        const flat = tf.concat([tf.reshape(o.weights, [-1]), tf.reshape(o.probs, [-1])]);
        disposeRouting(o);
        return flat;
      });
    await expectNoLeaks(async () => {
      const { f, restore } = variablesAsInputs(r.trainableVariables(), () => run(x));
      try {
        await checkGradients(f, r.trainableVariables(), { maxCoordinates: 10 });
      } finally {
        restore();
      }
      await checkGradients((xi) => run(xi as tf.Tensor2D), [x], { maxCoordinates: 10 });
    });
    // The same values as the cpu reference.
    const o = r.route(x, { training: false });
    expect(o.weights.shape).toEqual([6, K]);
    disposeRouting(o);
    x.dispose();
    r.dispose();
  });
});

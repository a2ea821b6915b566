import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { describe, expect, it, beforeAll } from 'vitest';
import { describeEachBackend, expectClose, useBackend } from '@moe/testing';
import { disposeRouting, type TokenChoiceRouting } from './router.js';
import { routerFromConfig } from './registry.js';
import { isMoeError } from '../errors/moe-error.js';
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

// Gradients (gate weights and input, fixed MC seed) are checked on every backend by router-contract.spec.ts.
describeEachBackend('UncertaintyCalibratedRouter weights', () => {
  it('are the top-k softmax of the uncertainty-shrunk logits, not of the plain ones', async () => {
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
});

describe('UncertaintyCalibratedRouter semantics', () => {
  beforeAll(() => useBackend('cpu'));

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

  it('rejects bad configs with coded errors naming the field', () => {
    const refused = (config: object, field: string, message: RegExp): void => {
      let error: unknown;
      try {
        new UncertaintyCalibratedRouter(config as never).dispose();
      } catch (e) {
        error = e;
      }
      expect(String(error)).toMatch(message);
      expect(isMoeError(error, field === 'bogus' ? 'unknown_field' : 'invalid_field') && error.field).toBe(field);
    };
    refused({ inputDim: 4, numExperts: 4, dropout: 0 }, 'dropout', /dropout must be a finite number in \(0, 1\) \(without dropout the samples are identical\); got 0/);
    refused({ inputDim: 4, numExperts: 4, dropout: 1 }, 'dropout', /dropout must be a finite number in \(0, 1\)/);
    refused({ inputDim: 4, numExperts: 4, k: 5 }, 'k', /k must be an integer in \[1, 4\]; got 5/);
    refused({ inputDim: 4, numExperts: 4, samples: 1 }, 'samples', /samples must be an integer ≥ 2; got 1/);
    refused({ inputDim: 4, numExperts: 4, kappa: -1 }, 'kappa', /kappa must be a finite number in \[0, ∞\); got -1/);
    refused({ inputDim: 4, numExperts: 4, bogus: 1 }, 'bogus', /bogus/);
  });

  it('is built by routerFromConfig under its kind, with the defaults of the constructor', () => {
    const r = routerFromConfig({ kind: 'UncertaintyCalibratedRouter', inputDim: 4, numExperts: 4 });
    expect(r).toBeInstanceOf(UncertaintyCalibratedRouter);
    expect(r.getConfig()).toMatchObject({ k: 2, samples: 5, dropout: 0.1, kappa: Math.PI / 8 });
    r.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, useBackend } from '@moe/testing';
import { disposeRouting, type ExpertChoiceRouting, type TokenChoiceRouting } from './router.js';
import { ExpertChoiceRouter } from './expert-choice-router.js';
import { TopPRouter } from './top-p-router.js';
import { NullExpertRouter } from './null-expert-router.js';
import { DenseToSparseRouter } from './dense-to-sparse-router.js';
import { identityGate } from './router-cases.js';

// Gates are set to the identity, so each input row is the logit vector and the expected routing is hand-checked.
describe('sparse router semantics', () => {
  beforeAll(() => useBackend('cpu'));

  it('ExpertChoiceRouter: each expert takes its C highest-probability tokens', async () => {
    const r = new ExpertChoiceRouter({ inputDim: 2, numExperts: 2, capacityFactor: 1 });
    identityGate(r);
    const x = tf.tensor2d([[3, 0], [0, 3], [1, 0], [0, 2]]); // C = ⌈1·4/2⌉ = 2
    const out = r.route(x, { training: true }) as ExpertChoiceRouting;
    expect(r.capacity(4, true)).toBe(2);
    expect(Array.from(await out.tokenIndices.data())).toEqual([0, 2, 1, 3]);
    const p0 = Math.exp(3) / (Math.exp(3) + 1);
    const p2 = Math.exp(1) / (Math.exp(1) + 1);
    const p3 = Math.exp(2) / (Math.exp(2) + 1);
    await expectClose(out.weights, [p0, p2, p0, p3], { atol: 1e-5 });
    disposeRouting(out);
    x.dispose();
    r.dispose();
  });

  it('TopPRouter: confident tokens use one expert, uncertain ones more (crossing expert included)', async () => {
    const r = new TopPRouter({ inputDim: 3, numExperts: 3, threshold: 0.4 });
    identityGate(r);
    const x = tf.tensor2d([[3, 0, 0], [0, 0, 0], [1, 1.2, -5]]);
    const out = r.route(x, { training: true }) as TokenChoiceRouting;
    // Row 0: p ≈ [.91, .045, .045] → 1 expert. Row 1: [1/3]*3 → 1/3 < .4, 2/3 > .4 → 2 experts.
    // Row 2: [.45, .55, ~0] → .55 > .4 alone → 1 expert (expert 1).
    const idx = Array.from(await out.indices.data());
    expect(idx[0]).toBe(0);
    expect(idx.slice(1, 3)).toEqual([-1, -1]);
    expect(idx.slice(3, 6).filter((e) => e >= 0)).toHaveLength(2);
    expect(idx.slice(6, 9)).toEqual([1, -1, -1]);
    expect(Object.keys(out.aux.parts)).toEqual(['dynamic']);
    const w = await out.weights.data();
    expect(w[3] + w[4]).toBeCloseTo(2 / 3, 5); // raw probabilities, not renormalised
    disposeRouting(out);
    x.dispose();
    r.dispose();
  });

  it('NullExpertRouter: null choices become -1, weights renormalise over the real experts chosen', async () => {
    const r = new NullExpertRouter({ inputDim: 4, numExperts: 2, numNullExperts: 2, k: 2 });
    identityGate(r);
    // Candidates 0,1 real; 2,3 null. Row 0 → {0, 2}: one real expert with weight 1. Row 1 → {2, 3}: none.
    const x = tf.tensor2d([[3, 0, 2, 0], [0, 0, 3, 2], [2, 1.5, 0, 0]]);
    const out = r.route(x, { training: true }) as TokenChoiceRouting;
    expect(Array.from(await out.indices.data())).toEqual([0, -1, -1, -1, 0, 1]);
    const w = Array.from(await out.weights.data());
    expect(w[0]).toBeCloseTo(1, 5);
    expect(w.slice(1, 4)).toEqual([0, 0, 0]);
    expect(w[4] + w[5]).toBeCloseTo(1, 5);
    // Its null-aware balance is in its own aux, so a layer adds no generic balance term on top.
    expect(r.balanceLoss(out, { form: 'first-choice' })).toBeUndefined();
    expect(Object.keys(out.aux.parts)).toEqual(['balance']);
    expect(out.probs.shape).toEqual([3, 2]);
    disposeRouting(out);
    x.dispose();
    r.dispose();
  });

  it('DenseToSparseRouter: temperature schedules and the dense → sparse switch', async () => {
    const exp = new DenseToSparseRouter({ inputDim: 3, numExperts: 3, maxTemperature: 1, minTemperature: 0.5, decaySteps: 100, switchStep: 50 });
    expect(exp.temperature(0)).toBeCloseTo(1, 9);
    expect(exp.temperature(50)).toBeCloseTo(Math.SQRT1_2, 9); // exp(½·ln ½)
    expect(exp.temperature(400)).toBeCloseTo(0.5, 9); // floor
    const lin = new DenseToSparseRouter({ inputDim: 3, numExperts: 3, schedule: 'linear', decaySteps: 100 });
    expect(lin.temperature(50)).toBeCloseTo(0.75, 9);
    identityGate(exp);
    const x = tf.tensor2d([[0, 0, -20], [1, 0, 0]]);
    const dense = exp.route(x, { training: false }) as TokenChoiceRouting;
    // τ = 1 at step 0: row 0 has g ≈ [.5, .5, 1e-9] → expert 2 skipped (≤ 0.001).
    expect(Array.from(await dense.indices.data())).toEqual([0, 1, -1, 0, 1, 2]);
    expect(exp.capacity(30, true)).toBeUndefined();
    exp.setStep(50);
    expect(exp.sparse).toBe(true);
    const sparse = exp.route(x, { training: false }) as TokenChoiceRouting;
    expect(sparse.indices.shape).toEqual([2, 1]);
    expect(Array.from(await sparse.indices.data())[1]).toBe(0);
    expect(exp.getConfig().step).toBe(50);
    expect(() => exp.setStep(-1)).toThrow(/step must be an integer ≥ 0; got -1/);
    [dense, sparse].forEach(disposeRouting);
    x.dispose();
    exp.dispose();
    lin.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, useBackend } from '@moe/testing';
import { disposeRouting, type TokenChoiceRouting } from './router.js';
import { TopKRouter } from './top-k-router.js';
import { SwitchRouter } from './switch-router.js';
import { variablesAsInputs } from '@moe/testing';
import { identityGate } from './router-cases.js';


const LOGITS = [
  [2, 1, 0, -1],
  [0, 3, 1, 2],
  [1, 1.5, 4, 0],
];

describe('TopKRouter semantics', () => {
  beforeAll(() => useBackend('cpu'));
  it('weights are the softmax over all experts at the top-k, renormalised', async () => {
    const r = new TopKRouter({ inputDim: 4, numExperts: 4, k: 2 });
    identityGate(r);
    const x = tf.tensor2d(LOGITS);
    const out = r.route(x, { training: false });
    expect(Array.from(await out.indices.data())).toEqual([0, 1, 1, 3, 2, 1]);
    // Row 0: softmax [2,1,0,-1] → top-2 probs ∝ e², e¹ → e/(e+1) = 0.731059, 1/(e+1) = 0.268941.
    await expectClose(tf.slice(out.weights, [0, 0], [1, 2]), [0.731059, 0.268941], { atol: 1e-5 });
    const unnormalised = new TopKRouter({ inputDim: 4, numExperts: 4, k: 2, normalize: false });
    identityGate(unnormalised);
    const raw = unnormalised.route(x, { training: false });
    const z = Math.exp(2) + Math.exp(1) + 1 + Math.exp(-1);
    await expectClose(tf.slice(raw.weights, [0, 0], [1, 2]), [Math.exp(2) / z, Math.exp(1) / z], { atol: 1e-5 });
    [out, raw].forEach(disposeRouting);
    x.dispose();
    r.dispose();
    unnormalised.dispose();
  });

  it('capacity: ⌈cf·k·T/E⌉ with train/eval factors, the minimum, the T cap, and dropless', () => {
    const r = new TopKRouter({ inputDim: 4, numExperts: 8, k: 2 });
    expect(r.capacity(100, true)).toBe(32); // ⌈1.25·2·100/8⌉ = ⌈31.25⌉
    expect(r.capacity(100, false)).toBe(50); // 2.0·2·100/8
    expect(r.capacity(4, true)).toBe(4); // ⌈1.25·2·4/8⌉ = 2 → raised to minCapacity 4
    expect(r.capacity(3, true)).toBe(3); // never more than T
    expect(new TopKRouter({ inputDim: 4, numExperts: 8, dropless: true }).capacity(100, true)).toBeUndefined();
    expect(() => r.capacity(0, true)).toThrow(/numTokens must be an integer ≥ 1; got 0/);
    r.dispose();
  });

  it('noise is seeded: same seed → same routing, fresh calls → fresh noise; aux only in training', async () => {
    const r = new TopKRouter({ inputDim: 4, numExperts: 4, k: 1, normalize: false, noise: 'learned', seed: 3 });
    identityGate(r);
    const x = tf.tensor2d([[0, 0, 0, 0], [0.1, 0, 0, 0], [0, 0, 0.05, 0], [0, 0, 0, 0]]);
    const a = r.route(x, { training: true, seed: 5 });
    const b = r.route(x, { training: true, seed: 5 });
    await expectClose(b.weights, a.weights, { atol: 0 });
    const draws = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const c = r.route(x, { training: true });
      draws.add(Array.from(await c.indices.data()).join(','));
      disposeRouting(c);
    }
    expect(draws.size).toBeGreaterThan(1); // near-tied logits: noise changes the choice
    expect(Object.keys(a.aux.parts).sort()).toEqual(['importance', 'load']);
    const e = r.route(x, { training: false });
    expect(Object.keys(e.aux.parts)).toEqual([]);
    [a, b, e].forEach(disposeRouting);
    x.dispose();
    r.dispose();
  });

  it('rejects normalize with k = 1 (constant weight, no router gradient)', () => {
    expect(() => new TopKRouter({ inputDim: 4, numExperts: 4, k: 1, normalize: true })).toThrow(/normalize must be false when k = 1/);
  });
});

describe('SwitchRouter semantics', () => {
  beforeAll(() => useBackend('cpu'));
  it('routes each token to its arg-max expert with weight = its softmax probability', async () => {
    const r = new SwitchRouter({ inputDim: 4, numExperts: 4 });
    identityGate(r);
    const x = tf.tensor2d(LOGITS);
    const out = r.route(x, { training: false }) as TokenChoiceRouting;
    expect(out.indices.shape).toEqual([3, 1]);
    expect(Array.from(await out.indices.data())).toEqual([0, 1, 2]);
    await expectClose(tf.reshape(out.weights, [3]), tf.max(out.probs, 1), { atol: 1e-6 });
    expect(r.capacity(64, true)).toBe(20); // ⌈1.25·64/4⌉
    disposeRouting(out);
    x.dispose();
    r.dispose();
  });
});

// The top-k router is the default of every layer: its gradients are also checked on webgpu.
describeEachBackend('TopKRouter gradients', () => {
  it('matches finite differences for the gate weights and the input', async () => {
    const r = new TopKRouter({ inputDim: 5, numExperts: 4, k: 2, gateInitScale: 6, seed: 21 });
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const run = (xi: tf.Tensor2D) =>
      tf.tidy(() => {
        const o = r.route(xi, { training: false });
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
    x.dispose();
    r.dispose();
  });
}, ['cpu', 'wasm', 'webgpu']);

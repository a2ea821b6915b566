import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, expectClose, useBackend } from '@moe/testing';
import { disposeRouting, type TokenChoiceRouting } from './router.js';
import { RecurrentRouter } from './recurrent-router.js';
import { BiasBalancedRouter } from './bias-balanced-router.js';
import { ClusterRouter } from './cluster-router.js';
import { UncertaintyRouter } from './uncertainty-router.js';
import { solveSpd } from './batched-solve.js';
import { identityGate } from './router-cases.js';

describe('stateful router semantics', () => {
  beforeAll(() => useBackend('cpu'));

  it('RecurrentRouter: returns its GRU state, and the previous layer state changes the routing', async () => {
    const r = new RecurrentRouter({ inputDim: 4, numExperts: 4, hiddenSize: 6, gateInitScale: 4, seed: 2 });
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const first = r.route(x, { training: false }) as TokenChoiceRouting;
    expect(first.state?.shape).toEqual([5, 6]);
    const second = r.route(x, { training: false, state: first.state }) as TokenChoiceRouting;
    const diff = await tf.max(tf.abs(tf.sub(first.logits, second.logits))).data();
    expect(diff[0]).toBeGreaterThan(1e-3);
    expect(() => r.route(x, { training: false, state: tf.zeros([5, 3]) })).toThrow(/options.state must have shape \[5, 6\].*got \[5,3\]/);
    [first, second].forEach(disposeRouting);
    x.dispose();
    r.dispose();
  });

  it('BiasBalancedRouter: the bias steers selection only, and moves by γ against the load error', async () => {
    const r = new BiasBalancedRouter({ inputDim: 3, numExperts: 3, k: 1, biasUpdateRate: 0.1 });
    identityGate(r);
    expect(r.trainableVariables()).not.toContain(r.bias);
    expect([...r.namedVariables().keys()]).toContain('bias');
    const x = tf.tensor2d([[2, 0, 0], [2, 0.5, 0], [1.5, 0, 0.2], [0, 2, 0]]);
    const a = r.route(x, { training: true }) as TokenChoiceRouting;
    // Loads [3, 1, 0], mean 4/3 → b += 0.1·sign([−5/3, 1/3, 4/3]) = [−.1, .1, .1].
    expect(Array.from(await a.indices.data())).toEqual([0, 0, 0, 1]);
    await expectClose(r.bias, [-0.1, 0.1, 0.1], { atol: 1e-6 });
    // Weights are the unbiased sigmoid affinity, renormalised over k = 1 → 1, times routeScale 1.
    await expectClose(a.weights, [1, 1, 1, 1], { atol: 1e-6 });
    // An evaluation pass leaves the bias alone; so does a training pass with updateState false.
    disposeRouting(r.route(x, { training: false }));
    disposeRouting(r.route(x, { training: true, updateState: false }));
    await expectClose(r.bias, [-0.1, 0.1, 0.1], { atol: 1e-6 });
    // A large bias on expert 2 wins the selection for every token.
    r.bias.assign(tf.tensor1d([0, 0, 5]));
    const b = r.route(x, { training: false }) as TokenChoiceRouting;
    expect(Array.from(await b.indices.data())).toEqual([2, 2, 2, 2]);
    [a, b].forEach(disposeRouting);
    x.dispose();
    r.dispose();
  });

  it('BiasBalancedRouter: group-limited routing only picks experts from the best groups', async () => {
    const r = new BiasBalancedRouter({ inputDim: 6, numExperts: 6, k: 2, numGroups: 3, topKGroups: 1 });
    identityGate(r);
    // Groups {0,1}, {2,3}, {4,5}. Row 0: group 1 has the best top-2 sum (1 + 0.9) although expert 4 is the
    // single best (1.2): with one group kept, the top-2 are experts 2 and 3.
    const x = tf.tensor2d([[0, 0, 1, 0.9, 1.2, -3]]);
    const out = r.route(x, { training: false }) as TokenChoiceRouting;
    expect(Array.from(await out.indices.data()).sort()).toEqual([2, 3]);
    const free = new BiasBalancedRouter({ inputDim: 6, numExperts: 6, k: 2 });
    identityGate(free);
    const open = free.route(x, { training: false }) as TokenChoiceRouting;
    expect(Array.from(await open.indices.data()).sort()).toEqual([2, 4]);
    expect(() => new BiasBalancedRouter({ inputDim: 6, numExperts: 6, numGroups: 4 })).toThrow(/numGroups must divide numExperts \(6\); got 4/);
    [out, open].forEach(disposeRouting);
    x.dispose();
    r.dispose();
    free.dispose();
  });

  it('ClusterRouter: centres move only in training, stay unit-norm, and separate two blobs', async () => {
    const r = new ClusterRouter({ inputDim: 4, numClusters: 2, momentum: 0.5, seed: 4 });
    const blobA = tf.add(tf.tensor2d([[4, 0, 0, 0]]), tf.randomNormal([16, 4], 0, 0.3, 'float32', 1));
    const blobB = tf.add(tf.tensor2d([[0, 0, 4, 0]]), tf.randomNormal([16, 4], 0, 0.3, 'float32', 2));
    const x = tf.concat([blobA, blobB]) as tf.Tensor2D;
    const before = tf.clone(r.centres);
    disposeRouting(r.route(x, { training: false }));
    await expectClose(r.centres, before, { atol: 0 });
    for (let i = 0; i < 5; i++) disposeRouting(r.route(x, { training: true }));
    await expectClose(tf.norm(r.centres, 'euclidean', 1), [1, 1], { atol: 1e-5 });
    const out = r.route(x, { training: false }) as TokenChoiceRouting;
    const idx = Array.from(await out.indices.data());
    expect(new Set(idx.slice(0, 16)).size).toBe(1);
    expect(new Set(idx.slice(16)).size).toBe(1);
    expect(idx[0]).not.toBe(idx[16]);
    await expectClose(out.weights, new Array(32).fill(1), { atol: 0 });
    // The learned centres travel with the weights: a fresh router with them routes identically.
    const restored = new ClusterRouter({ inputDim: 4, numClusters: 2, momentum: 0.5, seed: 99 });
    const saved = r.getWeights();
    restored.setWeights(saved);
    const again = restored.route(x, { training: false }) as TokenChoiceRouting;
    expect(Array.from(await again.indices.data())).toEqual(idx);
    tf.dispose(Object.values(saved));
    disposeRouting(again);
    restored.dispose();
    const soft = new ClusterRouter({ inputDim: 4, numClusters: 2, hard: false });
    expect(soft.route(x, { training: false }).mode).toBe('dense');
    tf.dispose([blobA, blobB, x, before]);
    disposeRouting(out);
    r.dispose();
    soft.dispose();
  });

  it('UncertaintyRouter: deterministic given a seed, plain top-k router in evaluation, unit-norm calibration', async () => {
    const r = new UncertaintyRouter({ inputDim: 4, numExperts: 4, k: 4, samples: 5, dropout: 0.3, ridge: 1e-3, seed: 3 });
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
    const a = r.route(x, { training: true, seed: 17 }) as TokenChoiceRouting;
    const b = r.route(x, { training: true, seed: 17 }) as TokenChoiceRouting;
    const c = r.route(x, { training: true, seed: 18 }) as TokenChoiceRouting;
    await expectClose(b.weights, a.weights, { atol: 0 });
    const moved = await tf.max(tf.abs(tf.sub(a.weights, c.weights))).data();
    expect(moved[0]).toBeGreaterThan(1e-4);
    // With k = E every expert is selected, so the weights are the whole calibrated direction: unit norm.
    await expectClose(tf.norm(a.weights, 'euclidean', 1), new Array(6).fill(1), { atol: 1e-4 });
    const e = r.route(x, { training: false }) as TokenChoiceRouting;
    await expectClose(tf.sum(e.weights, 1), new Array(6).fill(1), { atol: 1e-5 });
    [a, b, c, e].forEach(disposeRouting);
    x.dispose();
    r.dispose();
  });

  it('solveSpd solves a batch of SPD systems and has exact gradients', async () => {
    const A = tf.tensor3d([[[4, 1], [1, 3]], [[2, 0], [0, 5]]]);
    const b = tf.tensor2d([[1, 2], [4, 10]]);
    // [[4,1],[1,3]] y = [1,2] → y = [1/11, 7/11]; diag system → [2, 2].
    await expectClose(solveSpd(A, b), [1 / 11, 7 / 11, 2, 2], { atol: 1e-6 });
    await checkGradients((m, v) => solveSpd(tf.add(m, tf.transpose(m, [0, 2, 1])) as tf.Tensor3D, v as tf.Tensor2D), [tf.div(A, 2), b]);
    expect(() => solveSpd(tf.zeros([1, 2, 3]) as tf.Tensor3D, b)).toThrow(/A must be a batch of square matrices/);
    tf.dispose([A, b]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, useBackend } from '@moe/testing';
import { disposeRouting } from './router.js';
import { MultiGateRouter } from './multi-gate-router.js';
import { HierarchicalGates, type HierarchicalGatesConfig } from './hierarchical-gates.js';
import { FeatureGate } from './feature-gate.js';
import { variablesAsInputs } from '@moe/testing';

const HOME: HierarchicalGatesConfig = { inputDim: 5, taskInputDim: 3, tasksPerCategory: [2, 1], metaShared: 2, metaPerCategory: 2, taskShared: 1, taskPerCategory: 1, taskSpecific: 1, seed: 1 };

describe('multi-task gates', () => {
  beforeAll(() => useBackend('cpu'));

  it('MultiGateRouter: one softmax gate per task', async () => {
    const r = new MultiGateRouter({ inputDim: 4, numExperts: 3, numTasks: 2, seed: 1 });
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const all = r.routeAll(x, { training: false });
    expect(all).toHaveLength(2);
    const one = r.route(x, { training: false, task: 1 });
    await expectClose(one.weights, all[1].weights, { atol: 0 });
    const gap = await tf.max(tf.abs(tf.sub(all[0].weights, all[1].weights))).data();
    expect(gap[0]).toBeGreaterThan(1e-4); // independently initialised gates
    expect(() => r.route(x, { training: false, task: 2 })).toThrow(/options.task must be an integer in \[0, 1\]; got 2/);
    [...all, one].forEach(disposeRouting);
    x.dispose();
    r.dispose();
  });

  it('HierarchicalGates: each gate scores only the experts the hierarchy mask allows', () => {
    const g = new HierarchicalGates(HOME);
    expect(g.numCategories).toBe(2);
    expect(g.numTasks).toBe(3);
    expect([0, 1, 2].map((t) => g.categoryOf(t))).toEqual([0, 0, 1]);
    const v = tf.randomNormal([4, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const meta = g.routeMeta(v, { training: false });
    expect(meta.shared.weights.shape).toEqual([4, 2 + 2 * 2]);
    expect(meta.categories.map((c) => c.weights.shape)).toEqual([[4, 4], [4, 4]]);
    const z = tf.randomNormal([4, 3], 0, 1, 'float32', 3) as tf.Tensor2D;
    const task = g.routeTask(2, z, { training: false });
    expect(task.weights.shape).toEqual([4, 3]);
    const selfTask = g.selfGate('task', 0, z); // one own expert → sigmoid, not a (constant) softmax
    expect(selfTask.shape).toEqual([4, 1]);
    const selfMeta = g.selfGate('meta', 1, v);
    expect(selfMeta.shape).toEqual([4, 2]);
    expect(() => g.routeTask(3, z, { training: false })).toThrow(/task must be an integer in \[0, 2\]; got 3/);
    expect(() => new HierarchicalGates({ ...HOME, tasksPerCategory: [] })).toThrow(/tasksPerCategory must list at least one category/);
    const copy = new HierarchicalGates(JSON.parse(JSON.stringify(g.getConfig())));
    expect([...copy.namedVariables().keys()]).toEqual([...g.namedVariables().keys()]);
    disposeRouting(meta.shared);
    meta.categories.forEach(disposeRouting);
    disposeRouting(task);
    tf.dispose([v, z, selfTask, selfMeta]);
    g.dispose();
    copy.dispose();
  });

  it('FeatureGate: v ⊙ 2σ(vBA) starts near the identity', async () => {
    const f = new FeatureGate({ inputDim: 6, rank: 2, seed: 1 });
    const v = tf.randomNormal([3, 6], 0, 1, 'float32', 5) as tf.Tensor2D;
    await expectClose(f.apply(v), v, { atol: 0.05, rtol: 0.05 });
    expect(() => new FeatureGate({ inputDim: 6, rank: 0 })).toThrow(/rank must be an integer ≥ 1; got 0/);
    v.dispose();
    f.dispose();
  });
});

describeEachBackend('multi-task gate gradients', () => {
  it('HoME task gate, self gate and feature gate match finite differences', async () => {
    const g = new HierarchicalGates(HOME);
    const f = new FeatureGate({ inputDim: 3, rank: 2, seed: 2 });
    const z = tf.randomNormal([4, 3], 0, 1, 'float32', 3) as tf.Tensor2D;
    const body = () =>
      tf.tidy(() => {
        const r = g.routeTask(1, f.apply(z), { training: true });
        const out = tf.concat([tf.reshape(r.weights, [-1]), tf.reshape(g.selfGate('meta', 0, tf.slice(tf.concat([z, z], 1), [0, 0], [4, 5])), [-1])]);
        disposeRouting(r);
        return out;
      });
    const vars = [...g.namedVariables()].filter(([n]) => n.startsWith('task.t1.') || n.startsWith('self.meta.c0.')).map(([, v]) => v);
    await expectNoLeaks(async () => {
      const { f: fn, restore } = variablesAsInputs([...vars, ...f.trainableVariables()], body);
      try {
        await checkGradients(fn, [...vars, ...f.trainableVariables()], { maxCoordinates: 8 });
      } finally {
        restore();
      }
    });
    z.dispose();
    g.dispose();
    f.dispose();
  });
}, ['cpu', 'wasm']);

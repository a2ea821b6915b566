import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, checkVariableGradients, describeEachBackend, expectClose, expectNoLeaks, randomizeVariables, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { applyStateUpdates, discardStateUpdates, inferenceContext, trainingContext } from '../mlp/forward-context.js';
import { Home, type HomeConfig } from './home.js';
import { disposeMultiTaskForward } from './multitask-forward.js';

const D = 5;
// Categories [1, 2] → tasks 0 | 1, 2. Level-2 experts: [shared 0 | category 0: 1 | category 1: 2 | task 0: 3, task 1: 4, task 2: 5].
const SMALL: HomeConfig = { inputDim: D, tasksPerCategory: [1, 2], metaShared: 1, metaPerCategory: 2, taskShared: 1, taskPerCategory: 1, taskSpecific: 1, expertSizes: [4, 3], featureGateRank: 2, seed: 3 };

function joint(h: Home, x: tf.Tensor2D, training: boolean): tf.Tensor {
  const ctx = training ? trainingContext() : inferenceContext();
  const f = h.apply(x, { ctx });
  const out = tf.concat(f.outputs, 1);
  disposeMultiTaskForward(f);
  discardStateUpdates(ctx);
  return out;
}

describeEachBackend('Home', () => {
  it('one output per task; gradients (feature gates, BN + Swish experts, self gates) match finite differences in training mode; no leaks', async () => {
    const home = new Home(SMALL);
    // Move the feature gates away from (almost) the identity so their gradients are not trivially tiny.
    randomizeVariables(new Map([...home.namedVariables()].filter(([k]) => k.includes('featureGate'))), 5, 0.3);
    const x = tf.randomNormal([6, D], 0, 1, 'float32', 2) as tf.Tensor2D;
    await expectNoLeaks(async () => {
      const f = home.apply(x);
      expect(f.outputs.length).toBe(3);
      for (const o of f.outputs) expect(o.shape).toEqual([6, 3]);
      expect(f.gateUsage.shape).toEqual([3, 1 + 2 * 1 + 3 * 1]);
      disposeMultiTaskForward(f);
      await checkGradients((a) => joint(home, a as tf.Tensor2D, true), [x], { eps: 3e-3, rtol: 3e-2 });
      const probe = tf.randomUniform([6, 9], 0.5, 1.5, 'float32', 6);
      // Floor 2e-2: the biases in front of a training-mode BatchNorm have an exactly zero gradient (the batch mean
      // absorbs them), and wasm's training-mode forward of this O(20) loss jitters by ~1e-5 between calls, so its
      // central differences read up to ~1e-3 of noise (measured: the same analytic 0.00370 on cpu and wasm, FD
      // 0.00372 on cpu, 0.00445 / 0.00286 on wasm at eps 3e-3 / 1e-3). Components above 0.02 are still held to 5 %.
      await checkVariableGradients(() => tf.sum(tf.mul(joint(home, x, true), probe)) as tf.Scalar, home.trainableVariables(), { maxCoordinates: 3, eps: 1e-2, rtol: 5e-2, floor: 2e-2 });
      probe.dispose();
    });
    tf.dispose(x);
    home.dispose();
  });

  it('hierarchy mask: a task gate weights exactly its global, category and own experts; other experts cannot change its output', async () => {
    const home = new Home({ ...SMALL, selfGates: false });
    const x = tf.randomNormal([4, D], 0, 1, 'float32', 3) as tf.Tensor2D;
    const visible = [[0, 1, 3], [0, 2, 4], [0, 2, 5]];
    expect([0, 1, 2].map((t) => home.taskVisible(t))).toEqual(visible);
    const diagnostics = new Map<string, tf.Tensor>();
    const f = home.apply(x, { ctx: inferenceContext(diagnostics) });
    for (let t = 0; t < 3; t++) {
      const w = (await diagnostics.get(`gate/task${t}`)!.array()) as number[][];
      for (const row of w) {
        row.forEach((v, e) => (visible[t].includes(e) ? expect(v).toBeGreaterThan(0) : expect(v).toBe(0)));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }
    // Perturb level-2 expert 1 (category 0's shared expert): task 0 sees it, tasks 1 and 2 must not move.
    const before = f.outputs.map((o) => o.clone());
    const w0 = home.namedVariables().get('level2.experts.expert1.w0')!;
    tf.tidy(() => w0.assign(tf.add(w0, 0.5)));
    const g = home.apply(x);
    await expectClose(g.outputs[1], before[1], { atol: 0 }, 'task 1');
    await expectClose(g.outputs[2], before[2], { atol: 0 }, 'task 2');
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(g.outputs[0], before[0]))));
    expect((await moved.data())[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, moved, ...before, ...diagnostics.values()]);
    disposeMultiTaskForward(f);
    disposeMultiTaskForward(g);
    home.dispose();
  });

  it('without the hierarchy every task gate sees every expert; ablation switches remove exactly their parts', async () => {
    const flat = new Home({ ...SMALL, hierarchy: false });
    const x = tf.randomNormal([4, D], 0, 1, 'float32', 4) as tf.Tensor2D;
    const diagnostics = new Map<string, tf.Tensor>();
    const f = flat.apply(x, { ctx: inferenceContext(diagnostics) });
    const w = (await diagnostics.get('gate/task0')!.array()) as number[][];
    for (const row of w) row.forEach((v) => expect(v).toBeGreaterThan(0));
    disposeMultiTaskForward(f);
    tf.dispose([x, ...diagnostics.values()]);
    const names = (c: Partial<HomeConfig>) => {
      const h = new Home({ ...SMALL, ...c });
      const keys = [...h.namedVariables().keys()];
      h.dispose();
      return keys;
    };
    // Feature gates sit on the experts that read v: level 1 with the hierarchy, the single level without.
    const full = names({});
    expect(full.some((k) => k.startsWith('level1.featureGate'))).toBe(true);
    expect(full.some((k) => k.startsWith('level2.featureGate'))).toBe(false);
    expect(flat.namedVariables().has('level2.featureGate0.a')).toBe(true);
    expect(names({ hierarchy: false }).some((k) => k.startsWith('level1') || k.startsWith('meta'))).toBe(false);
    expect(names({ featureGateRank: 0 }).some((k) => k.includes('featureGate'))).toBe(false);
    expect(names({ selfGates: false }).some((k) => k.includes('SelfGate'))).toBe(false);
    expect(names({ bnSwish: false }).some((k) => k.includes('norm'))).toBe(false);
    expect(full.filter((k) => k.startsWith('level2.experts.norm')).length).toBe(8); // 2 layers × (γ, β, μ, σ²)
    flat.dispose();
  });

  it('training forward queues BatchNorm statistics instead of assigning them', async () => {
    const home = new Home(SMALL);
    const x = tf.randomNormal([6, D], 0, 1, 'float32', 5) as tf.Tensor2D;
    const mean = home.namedVariables().get('level1.experts.norm0.movingMean')!;
    const ctx = trainingContext();
    const f = home.apply(x, { ctx });
    expect(Array.from(await mean.data()).every((v) => v === 0)).toBe(true);
    expect(ctx.stateUpdates.length).toBe(2 * 2 * 2); // 2 levels × 2 layers × (mean, variance)
    applyStateUpdates(ctx);
    expect(Array.from(await mean.data()).some((v) => v !== 0)).toBe(true);
    disposeMultiTaskForward(f);
    x.dispose();
    home.dispose();
  });
}, testBackends().filter((b) => b !== 'webgpu'));

describe('Home config errors', () => {
  it('name the field', () => {
    expect(() => new Home({ inputDim: D, tasksPerCategory: [], expertHidden: 2, outputDim: 2 })).toThrow(/tasksPerCategory must list at least one category; got \[\]/);
    expect(() => new Home({ inputDim: D, tasksPerCategory: [1], expertHidden: 2, outputDim: 2, featureGateRank: -1 })).toThrow(/Home: featureGateRank must be an integer ≥ 0; got -1/);
    expect(() => new Home({ inputDim: D, tasksPerCategory: [1], expertSizes: [] })).toThrow(/Home: expertSizes must list at least one layer; got \[\]/);
    expect(() => new Home({ inputDim: D, tasksPerCategory: [1], expertSizes: [2], bnSwish: 'yes' as never })).toThrow(/Home: bnSwish must be/);
  });
});

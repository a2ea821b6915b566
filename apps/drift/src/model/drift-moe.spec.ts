import { SeaGenerator, sumOf, type TreeNode } from '@moe/stream';
import { describe, expect, it } from 'vitest';
import { paperStream } from '../data/paper-streams.js';
import { DriftMoeData, topIndices } from './drift-moe-data.js';
import { DriftMoePlus } from './drift-moe-plus.js';
import { DriftMoeTask } from './drift-moe-task.js';

function weightSeen(n: TreeNode | null): number {
  if (!n) return 0;
  return n.kind === 'leaf' ? sumOf(n.dist) : n.children.reduce((s, c) => s + weightSeen(c), 0);
}

describe('DriftMoE-Data', () => {
  it('steps the router once per 256 instances and trains exactly the top-3 experts', () => {
    const s = new SeaGenerator();
    const moe = new DriftMoeData(s.schema, { seed: 2 });
    for (let i = 0; i < 300; i++) {
      const { x, y } = s.nextInstance();
      moe.predict(x);
      moe.learn(x, y);
      if (i === 254) expect(moe.router.adam.step).toBe(0);
      if (i === 255) expect(moe.router.adam.step).toBe(1);
    }
    expect(moe.router.adam.step).toBe(1);
    const trained = moe.experts.reduce((t, e) => t + weightSeen(e.root), 0);
    expect(trained).toBe(3 * 300);
    expect(moe.stats().expertUsage.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('picks top-k by logits with the lower index first on ties', () => {
    expect(topIndices([0.1, 0.5, 0.5, -1], 3)).toEqual([1, 2, 0]);
  });

  it('reproduces the published SEA_a regime on a short stream (sanity, not the benchmark)', () => {
    const s = paperStream('sea_a', 1);
    const moe = new DriftMoeData(s.schema, { seed: 1 });
    let correct = 0;
    for (let i = 0; i < 3000; i++) {
      const { x, y } = s.nextInstance();
      if (moe.predict(x) === y) correct++;
      moe.learn(x, y);
    }
    expect(correct / 3000).toBeGreaterThan(0.8);
  });
});

describe('DriftMoE-Task', () => {
  it('predicts the router argmax, steps Adam every instance, trains every one-vs-rest expert', () => {
    const s = new SeaGenerator();
    const task = new DriftMoeTask(s.schema, { seed: 1, outputs: 5 });
    for (let i = 0; i < 50; i++) {
      const { x, y } = s.nextInstance();
      const p = task.predict(x);
      expect(p).toBeLessThanOrEqual(2);
      task.learn(x, y);
    }
    expect(task.router.adam.step).toBe(50);
    expect(task.experts).toHaveLength(5);
    for (const e of task.experts) expect(weightSeen(e.root)).toBe(50);
    expect(() => new DriftMoeTask(s.schema, { outputs: 1 })).toThrow(/outputs: expected an integer ≥ 2/);
  });
});

describe('DriftMoE+', () => {
  it('replaces experts whose error rises after an abrupt drift', () => {
    // SEA θ = 7 → θ = 9.5 at instance 1500 (a fifth of the input space changes label).
    const a = new SeaGenerator({ function: 3, noisePercentage: 0 });
    const b = new SeaGenerator({ function: 4, instanceRandomSeed: 9, noisePercentage: 0 });
    const plus = new DriftMoePlus(a.schema, { seed: 4 });
    for (let i = 0; i < 3000; i++) {
      const { x, y } = (i < 1500 ? a : b).nextInstance();
      plus.predict(x);
      plus.learn(x, y);
    }
    const st = plus.stats();
    expect(st.driftDetections).toBeGreaterThan(0);
    expect(st.driftPositions.every((p) => p > 1500)).toBe(true);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '@moe/testing';
import { computeDispatchPlan, disposeDispatchPlan, validateRouterIndices } from '../index.js';
import { dispatchPlanComposite } from './plan-composite.js';

/** Plain-JS plan (the specification): choice-major priority, capacity drops, -1 = no expert. */
export function referencePlan(ids: number[][], E: number, capacity?: number) {
  const T = ids.length;
  const k = ids[0].length;
  const rows = capacity === undefined ? T * k : E * capacity;
  const received = new Array(E).fill(0);
  ids.flat().forEach((e) => { if (e >= 0) received[e]++; });
  const start = [0];
  for (let e = 0; e < E; e++) start.push(start[e] + (capacity === undefined ? received[e] : capacity));
  start[E] = rows;
  const filled = new Array(E).fill(0);
  const positions = ids.map((r) => r.map(() => -1));
  const rowSlots = new Array(rows).fill(-1);
  let dropped = 0;
  for (let j = 0; j < k; j++) for (let t = 0; t < T; t++) {
    const e = ids[t][j];
    if (e < 0) continue;
    if (capacity !== undefined && filled[e] >= capacity) { dropped++; continue; }
    const row = start[e] + filled[e]++;
    positions[t][j] = row;
    rowSlots[row] = t * k + j;
  }
  return { positions, offsets: start, counts: filled, dropped, rowSlots, rows };
}

const IDS = [[0, 2], [2, 1], [2, -1], [1, 2], [2, 0], [-1, -1], [2, 1]];

describeEachBackend('computeDispatchPlan', () => {
  for (const capacity of [undefined, 2, 1]) {
    it(`matches the reference plan (capacity ${capacity ?? 'dropless'}), kernel and composite`, async () => {
      const indices = tf.tensor2d(IDS, undefined, 'int32');
      const ref = referencePlan(IDS, 3, capacity);
      await expectNoLeaks(async () => {
        const plan = computeDispatchPlan(indices, 3, { capacity });
        expect(plan.rows).toBe(ref.rows);
        expect(await plan.positions.array()).toEqual(ref.positions);
        expect(Array.from(await plan.offsets.data())).toEqual(ref.offsets);
        expect(Array.from(await plan.counts.data())).toEqual(ref.counts);
        expect((await plan.dropped.data())[0]).toBe(ref.dropped);
        expect(Array.from(await plan.rowSlots.data())).toEqual(ref.rowSlots);
        disposeDispatchPlan(plan);
        const composite = dispatchPlanComposite(indices, 3, capacity);
        expect(await composite[0].array()).toEqual(ref.positions);
        expect(Array.from(await composite[4].data())).toEqual(ref.rowSlots);
        expect(Array.from(await composite[1].data())).toEqual(ref.offsets);
        tf.dispose(composite);
      });
      indices.dispose();
    });
  }

  it('k=1 and a larger random routing agree with the reference', async () => {
    for (const [T, k, E, C] of [[37, 1, 5, undefined], [64, 2, 8, 10], [50, 3, 4, undefined]] as const) {
      const ids = Array.from({ length: T }, (_, t) => Array.from({ length: k }, (_, j) => ((t * 7 + j * 3 + (t % 5)) % (E + 1)) - 1));
      const indices = tf.tensor2d(ids, undefined, 'int32');
      const plan = computeDispatchPlan(indices, E, { capacity: C });
      const ref = referencePlan(ids, E, C);
      expect(await plan.positions.array()).toEqual(ref.positions);
      expect(Array.from(await plan.rowSlots.data())).toEqual(ref.rowSlots);
      disposeDispatchPlan(plan);
      indices.dispose();
    }
  });

  it('rejects bad arguments naming them', () => {
    const f = tf.tensor2d([[0, 1]], undefined, 'float32');
    const i1 = tf.tensor1d([0, 1], 'int32');
    const i2 = tf.tensor2d([[0, 1]], undefined, 'int32');
    expect(() => computeDispatchPlan(f as tf.Tensor2D, 2)).toThrow(/indices must be int32; got float32/);
    expect(() => computeDispatchPlan(i1 as unknown as tf.Tensor2D, 2)).toThrow(/indices must have rank 2; got rank 1/);
    expect(() => computeDispatchPlan(i2, 0)).toThrow(/numExperts must be an integer ≥ 1; got 0/);
    expect(() => computeDispatchPlan(i2, 2, { capacity: 1.5 })).toThrow(/options.capacity must be an integer ≥ 1; got 1.5/);
    tf.dispose([f, i1, i2]);
  });

  it('rejects expert ids out of range (validateRouterIndices on every backend; the host kernels synchronously)', async () => {
    const bad = tf.tensor2d([[0, 1], [3, -1]], undefined, 'int32');
    await expect(validateRouterIndices(bad, 3)).rejects.toThrow(/indices\[1,0\] is 3; expert ids must be in \[-1, 3\)/);
    if (tf.getBackend() !== 'webgpu') expect(() => computeDispatchPlan(bad, 3)).toThrow(/indices\[1,0\] is 3/);
    bad.dispose();
  });
});

describe('computeDispatchPlan autodiff', () => {
  it('passes no gradient into the router ids (loss through topk indices trains)', async () => {
    const logits = tf.variable(tf.tensor2d([[0.1, 0.9, 0.3], [0.5, 0.2, 0.7]]));
    const g = tf.grads((l: tf.Tensor) => {
      const { indices, values } = tf.topk(l, 2);
      const plan = computeDispatchPlan(indices as tf.Tensor2D, 3);
      return tf.sum(tf.mul(values, tf.cast(plan.positions, 'float32')));
    })([logits]);
    expect(g[0].shape).toEqual([2, 3]);
    tf.dispose([g, logits]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot.js';

/**
 * Hard routing of every row to exactly one group (a domain tower, an AdaptDHM cluster tower), computed on
 * the host: rows sorted by group so each group is one contiguous slice.
 */
export interface GroupPlan {
  numGroups: number;
  /** [B] group of each row. */
  assignment: Int32Array;
  /** Rows in group order: order[i] = original row placed at position i. */
  order: Int32Array;
  /** inverse[row] = its position in `order`. */
  inverse: Int32Array;
  /** Rows per group. */
  counts: number[];
}

export function makeGroupPlan(assignment: Int32Array, numGroups: number): GroupPlan {
  const counts = new Array<number>(numGroups).fill(0);
  for (let i = 0; i < assignment.length; i++) {
    const g = assignment[i];
    if (g < 0 || g >= numGroups || !Number.isInteger(g)) throw new Error(`makeGroupPlan: row ${i} has group ${g}, expected 0..${numGroups - 1}`);
    counts[g]++;
  }
  const start = new Array<number>(numGroups).fill(0);
  for (let g = 1; g < numGroups; g++) start[g] = start[g - 1] + counts[g - 1];
  const order = new Int32Array(assignment.length);
  const inverse = new Int32Array(assignment.length);
  for (let i = 0; i < assignment.length; i++) {
    const pos = start[assignment[i]]++;
    order[pos] = i;
    inverse[i] = pos;
  }
  return { numGroups, assignment, order, inverse, counts };
}

/**
 * Row permutation whose gradient is the inverse permutation (a gather, not an UnsortedSegmentSum scatter):
 * tfjs' generic gather gradient needs a kernel the wasm backend lacks, and a permutation never has
 * duplicate indices, so gathering dy by the inverse is exact.
 */
function permuteRows(x: tf.Tensor2D, order: Int32Array, inverse: Int32Array): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const idx = tf.tensor1d(order, 'int32');
    const value = tf.gather(input, idx) as tf.Tensor2D;
    idx.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const inv = tf.tensor1d(inverse, 'int32');
        const g = tf.gather(dy, inv);
        inv.dispose();
        return g;
      },
    };
  });
  return f(x) as tf.Tensor2D;
}

/**
 * Sparse dispatch: each row runs only its group's function. Rows are permuted into group order, each
 * group's contiguous slice goes through `run(group, rows)`, and the outputs are permuted back.
 */
export function dispatchByGroup(x: tf.Tensor2D, plan: GroupPlan, run: (group: number, rows: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  if (x.shape[0] !== plan.assignment.length) throw new Error(`dispatchByGroup: input has ${x.shape[0]} rows, plan has ${plan.assignment.length}`);
  const sorted = permuteRows(x, plan.order, plan.inverse);
  const outputs: tf.Tensor2D[] = [];
  let begin = 0;
  for (let g = 0; g < plan.numGroups; g++) {
    const n = plan.counts[g];
    if (n === 0) continue;
    outputs.push(run(g, tf.slice(sorted, [begin, 0], [n, sorted.shape[1]])));
    begin += n;
  }
  const joined = outputs.length === 1 ? outputs[0] : (tf.concat(outputs, 0) as tf.Tensor2D);
  return permuteRows(joined, plan.inverse, plan.order);
}

/**
 * Dense-masked dispatch (the baseline sparse dispatch is compared against): every group's function runs on
 * every row and a one-hot mask keeps each row's own group.
 */
export function maskedByGroup(x: tf.Tensor2D, plan: GroupPlan, run: (group: number, rows: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  const mask = oneHotFloat(plan.assignment, plan.numGroups);
  const parts: tf.Tensor2D[] = [];
  for (let g = 0; g < plan.numGroups; g++) {
    parts.push(tf.mul(run(g, x), tf.slice(mask, [0, g], [-1, 1])));
  }
  return tf.addN(parts);
}

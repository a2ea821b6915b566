import * as tf from '@tensorflow/tfjs-core';

/**
 * Places gate weights over a subset of experts ([T, n], column i = expert `columns[i]`) into the level's full
 * [T, E] weight matrix, zero elsewhere — a matmul with a constant 0/1 matrix, differentiable everywhere.
 */
export function spreadColumns(weights: tf.Tensor2D, columns: number[], numExperts: number): tf.Tensor2D {
  return tf.tidy(() => {
    const m = new Float32Array(columns.length * numExperts);
    columns.forEach((e, i) => (m[i * numExperts + e] = 1));
    return tf.matMul(weights, tf.tensor2d(m, [columns.length, numExperts]));
  });
}

/** The n consecutive integers start, start + 1, …, start + n − 1 (expert ids of a group). */
export function range(start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

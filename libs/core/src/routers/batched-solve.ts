import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './selection.js';

/**
 * Solves A y = b for a batch of small symmetric positive-definite systems, A [B, n, n], b [B, n] → y [B, n],
 * by Gauss–Jordan elimination unrolled over the n columns (tfjs has no batched solve or inverse). No pivoting
 * is needed for SPD matrices: every pivot is a positive Schur complement. Built from differentiable ops, so
 * gradients flow to A and b. Meant for n ≤ 64 (n steps of O(B·n²) work).
 */
export function solveSpd(A: tf.Tensor3D, b: tf.Tensor2D): tf.Tensor2D {
  const [B, n, m] = A.shape;
  if (n !== m) throw new Error(`solveSpd: A must be a batch of square matrices [B, n, n]; got [${A.shape}]`);
  if (b.rank !== 2 || b.shape[0] !== B || b.shape[1] !== n) throw new Error(`solveSpd: b must have shape [${B}, ${n}]; got [${b.shape}]`);
  return tf.tidy(() => {
    let M = tf.concat([A, tf.expandDims(b, 2)], 2) as tf.Tensor3D; // augmented [B, n, n+1]
    for (let i = 0; i < n; i++) {
      const pivotRow = tf.slice(M, [0, i, 0], [B, 1, n + 1]); // [B, 1, n+1]
      const pivot = tf.slice(pivotRow, [0, 0, i], [B, 1, 1]);
      const normalized = tf.div(pivotRow, pivot);
      const factors = tf.slice(M, [0, 0, i], [B, n, 1]); // column i of every row
      const isPivot = tf.reshape(oneHotFloat(tf.tensor1d([i], 'int32'), n), [1, n, 1]);
      const notPivot = tf.sub(1, isPivot);
      // Eliminate column i from every other row, then put the normalised pivot row in place.
      const eliminated = tf.sub(M, tf.mul(tf.mul(factors, notPivot), normalized));
      M = tf.add(tf.mul(eliminated, notPivot), tf.mul(isPivot, normalized)) as tf.Tensor3D;
    }
    return tf.reshape(tf.slice(M, [0, 0, n], [B, n, 1]), [B, n]) as tf.Tensor2D;
  });
}

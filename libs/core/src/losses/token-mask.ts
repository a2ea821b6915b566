import * as tf from '@tensorflow/tfjs-core';

/**
 * Token masks of the aux losses: [T] float32, 1 = real token, 0 = padding. Padding is left out of every
 * per-token mean and sum, so a padded batch gives the loss of its real tokens alone.
 */

/** Throws unless `mask` is undefined or a [T] tensor; names the owner and the argument. */
export function checkTokenMask(owner: string, mask: tf.Tensor | undefined, numTokens: number): void {
  if (mask === undefined) return;
  if (mask.rank !== 1 || mask.shape[0] !== numTokens) throw new Error(`${owner}: tokenMask must have shape [${numTokens}]; got [${mask.shape}]`);
}

/** Mean of per-token values [T] over the real tokens (all T without a mask); 0 when none is real. */
export function meanOverTokens(perToken: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => (mask ? tf.div(tf.sum(tf.mul(perToken, mask)), tf.maximum(tf.sum(mask), 1)) : tf.mean(perToken)) as tf.Scalar);
}

/** Rows [T, n] with padded rows zeroed (the input itself, cloned, without a mask). */
export function maskRows(rows: tf.Tensor2D, mask?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => (mask ? tf.mul(rows, tf.expandDims(mask, 1)) : tf.clone(rows)) as tf.Tensor2D);
}

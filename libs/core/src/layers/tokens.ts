import * as tf from '@tensorflow/tfjs-core';
import { checkInput } from '../experts/check.js';

/**
 * A token mask of x's leading shape ([B, S] for [B, S, d], [T] for [T, d]; non-zero = real token) as a new
 * float32 [T] tensor of 1s and 0s, or undefined without a mask. Throws naming `owner` and options.tokenMask.
 */
export function flattenTokenMask(owner: string, mask: tf.Tensor | undefined, x: tf.Tensor): tf.Tensor1D | undefined {
  if (mask === undefined) return undefined;
  const lead = x.shape.slice(0, -1);
  if (mask == null || !Array.isArray((mask as { shape?: unknown }).shape)) throw new Error(`${owner}: options.tokenMask must be a tensor of shape [${lead}]; got ${String(mask)}`);
  if (!tf.util.arraysEqual(mask.shape, lead)) throw new Error(`${owner}: options.tokenMask must have the input's leading shape [${lead}] (1 = real token, 0 = padding); got [${mask.shape}]`);
  if (mask.dtype !== 'bool' && mask.dtype !== 'int32' && mask.dtype !== 'float32') throw new Error(`${owner}: options.tokenMask must be bool, int32 or float32; got ${mask.dtype}`);
  return tf.tidy(() => tf.cast(tf.notEqual(tf.reshape(mask, [-1]), 0), 'float32') as tf.Tensor1D);
}

/** Flattens [T, d] or [B, S, d] to [T, d], remembering how to restore the leading axes; call `release` when done. */
export function flattenTokens(owner: string, x: tf.Tensor, dim: number): { flat: tf.Tensor2D; restore: (y: tf.Tensor2D) => tf.Tensor; release: () => void } {
  checkInput(owner, 'x', x, [2, 3], dim);
  const lead = x.shape.slice(0, -1);
  const flat = (x.rank === 2 ? x : tf.reshape(x, [-1, dim])) as tf.Tensor2D;
  return {
    flat,
    restore: (y) => (x.rank === 2 ? y : tf.reshape(y, [...lead, y.shape[1]])),
    // The flattened view is a new tensor only for 3-D input; the caller's own tensor is never disposed.
    release: () => {
      if (flat !== x) flat.dispose();
    },
  };
}

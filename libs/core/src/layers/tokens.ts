import * as tf from '@tensorflow/tfjs-core';
import { checkInput } from '../experts/check.js';

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

import * as tf from '@tensorflow/tfjs-core';
import { normalizeRows, pickColumns, topKIndices } from './selection.js';

/** Top-k selection shared by the token-choice routers (plain, noisy, recurrent, bias-balanced, uncertainty). */
export interface TopKSelection {
  /** [T, k] int32 selected experts. */
  indices: tf.Tensor2D;
  /** [T, k] combine weights. */
  weights: tf.Tensor2D;
}

/**
 * Selects the k largest `selectionScores` per token and weights each choice by `weightSource` at that
 * expert (a probability over all experts, so k = 1 keeps a gradient), renormalised over the k when asked.
 * Selection and weighting differ for noisy gating (noisy logits select) and bias balancing (biased scores
 * select, unbiased scores weigh).
 */
export function selectTopK(selectionScores: tf.Tensor2D, weightSource: tf.Tensor2D, k: number, normalize: boolean): TopKSelection {
  return tf.tidy(() => {
    const indices = topKIndices(selectionScores, k);
    const picked = pickColumns(weightSource, indices);
    return { indices, weights: normalize ? normalizeRows(picked) : picked };
  });
}

/**
 * out[r, j] = x[r, idx[r, j]] for idx [R, k] with valid ids, differentiable in x without the gather gradient
 * or a one-hot over N: forward gatherND, backward scatterND (each (r, idx) pair is unique, so the scatter
 * needs no accumulation). Used where N is large (expert choice picks among all T tokens).
 */
export function takeAlongRows(x: tf.Tensor2D, idx: tf.Tensor2D): tf.Tensor2D {
  const [R, N] = x.shape;
  const k = idx.shape[1];
  return tf.tidy(() => {
    const rows = tf.tile(tf.reshape(tf.range(0, R, 1, 'int32'), [R, 1]), [1, k]);
    const coords = tf.reshape(tf.stack([rows, idx], 2), [R * k, 2]);
    // coords go in as an input and are saved, so the backward pass still has them after this scope ends.
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, at] = args as [tf.Tensor2D, tf.Tensor2D];
      (args[2] as tf.GradSaveFunc)([at]);
      return {
        value: tf.reshape(tf.gatherND(input, at), [R, k]),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.scatterND(saved[0], tf.reshape(dy, [R * k]), [R, N]), tf.zeros(saved[0].shape, 'float32')],
      };
    });
    return f(x, coords) as tf.Tensor2D;
  });
}

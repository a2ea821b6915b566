import type * as tf from '@tensorflow/tfjs-core';

/**
 * What `train` needs from a model: its trainable variables, and optionally weight export/import (every
 * `Module` of @moe/core has all three). With getWeights/setWeights, best-weights restore also covers
 * non-trainable state (buffers, frozen parts); without them it snapshots the trainable variables.
 */
export interface Trainable {
  trainableVariables(): tf.Variable[];
  /** Copies of every weight by name; the caller disposes them. */
  getWeights?(): Record<string, tf.Tensor>;
  /** Assigns weights by name (copies the values; does not take ownership). */
  setWeights?(weights: Record<string, tf.Tensor>): void;
}

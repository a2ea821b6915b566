import type * as tf from '@tensorflow/tfjs-core';

/**
 * How tokens are laid out in expert-contiguous order (built by `computeDispatchPlan`).
 *
 * Built from router indices [T, k] (int32, -1 = no expert) for E experts, entirely on device with static
 * shapes (no host readback, so it works on webgpu):
 * - capacity C given: the buffer has E*C rows; expert e owns rows [e*C, (e+1)*C); assignments beyond an
 *   expert's capacity are dropped (position -1), rows left unfilled are zero. Priority: lower choice rank
 *   first (all first choices before second choices), then token order (GShard/Switch convention).
 * - dropless (capacity undefined): the buffer has T*k rows; expert e owns rows
 *   [offsets[e], offsets[e+1]); slots with index -1 take no row (the tail of the buffer stays zero).
 */
export interface DispatchPlan {
  numTokens: number;
  k: number;
  numExperts: number;
  /** Capacity per expert, or undefined when dropless. */
  capacity: number | undefined;
  /** Static number of rows of the expert-contiguous buffer: E*C, or T*k when dropless. */
  rows: number;
  /** [T, k] int32: row of each (token, choice) in the buffer, -1 when dropped or routed to no expert. */
  positions: tf.Tensor2D;
  /** [E + 1] int32: start row of each expert's block, and `rows` at the end. */
  offsets: tf.Tensor1D;
  /** [E] int32: assignments each expert actually received (after capacity). */
  counts: tf.Tensor1D;
  /** Scalar int32: assignments dropped by capacity. */
  dropped: tf.Scalar;
  /**
   * [rows] int32 (added by the implementation): the flat slot `t * k + j` whose token fills each row, or -1
   * for an empty row. The inverse of `positions`; dispatch and the combine gradient gather through it.
   */
  rowSlots: tf.Tensor1D;
}

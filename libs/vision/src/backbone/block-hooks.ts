import type * as tf from '@tensorflow/tfjs-core';

/** The linear layers inside a ViT block that a weight-space adapter (LoRA) can add an update to. */
export type LinearSite = 'qkv' | 'proj' | 'fc1' | 'fc2';
export const LINEAR_SITES: readonly LinearSite[] = ['qkv', 'proj', 'fc1', 'fc2'];

/**
 * Where adapters plug into a {@link VitBackbone} forward without the backbone knowing about them. Both hooks
 * run inside the caller's tape, so whatever they compute gets gradients; the backbone's own weights can
 * stay out of the optimizer's variable list (frozen).
 */
export interface BlockHooks {
  /**
   * Runs after block `layer` (0-based) on its output tokens laid out as the token grid [B, Gh, Gw, D]
   * (Earth-Adapter, Rein and bottleneck adapters sit here); returns the grid the next block reads.
   */
  afterBlock?(layer: number, grid: tf.Tensor4D): tf.Tensor4D;
  /**
   * Returns an update added to the output of linear `site` of block `layer` for its input rows [T, in]
   * (LoRA: x·A·B), or undefined to leave that linear alone.
   */
  linearDelta?(layer: number, site: LinearSite, input: tf.Tensor2D): tf.Tensor2D | undefined;
}

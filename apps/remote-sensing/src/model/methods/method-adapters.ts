import type * as tf from '@tensorflow/tfjs-core';
import { Module } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import type { MethodKind } from './method-kind.js';

/**
 * The parameters a fine-tuning method adds to the frozen backbone, and how they plug into its forward
 * ({@link BlockHooks}). Head-only and full fine-tuning add nothing (an empty module).
 */
export abstract class MethodAdapters extends Module {
  abstract readonly method: MethodKind;
  /** Hooks for one forward; they create tensors inside the caller's tidy/tape. */
  abstract hooks(): BlockHooks;
  /**
   * Per-token router weights over the three adapters of `layer` for the grid that layer's adapter reads
   * ([B, G, G, 3]), for the methods that have a router; undefined otherwise.
   */
  routerWeights(layer: number, grid: tf.Tensor4D): tf.Tensor4D | undefined {
    void layer;
    void grid;
    return undefined;
  }
}

import type * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from '@moe/kernels';
import { Module } from '../module/module.js';

/**
 * A bank of E experts with stacked weights ([E, …] per parameter), the one interface every MoE layer and
 * multi-task block runs experts through. The layer lays tokens out expert-contiguously (dispatch), and the
 * bank runs all experts' blocks at once with grouped matmuls over that buffer — no per-expert JS loop.
 */
export abstract class ExpertBank extends Module {
  abstract readonly numExperts: number;
  /** Width of the token vectors the layer feeds in (before `preDispatch`). */
  abstract readonly inputDim: number;
  /** Width of each expert's output. */
  abstract readonly outputDim: number;

  /**
   * Computation every expert shares, run once per token before dispatch (MoFME's shared block); the result
   * is what gets dispatched. Default: the tokens themselves.
   */
  preDispatch(x: tf.Tensor2D): tf.Tensor2D {
    return x;
  }

  /**
   * Runs expert e on rows [offsets[e], offsets[e+1]) of `x` (the expert-contiguous buffer described by
   * `plan`, width = what `preDispatch` returns) and returns [rows, outputDim]. Rows that belong to no
   * expert may hold anything: combine never reads them.
   */
  abstract forwardGrouped(x: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D;

  /** Parameters one token touches when routed to one expert (for equal-active-parameter comparisons). */
  abstract paramsPerExpert(): number;
}

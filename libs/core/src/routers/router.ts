import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../module/module.js';
import type { AuxLoss } from '../module/loss.js';

/** Options of one routing call. */
export interface RouteOptions {
  /** Training mode enables noise, jitter, dropout and the training capacity factor. */
  training: boolean;
  /** State carried between layers by recurrent routers (RMoE); undefined for the first layer. */
  state?: tf.Tensor;
  /**
   * Seed of this call's randomness (noise, jitter, Monte-Carlo dropout, Gumbel samples). Default: derived from
   * the router's seed and a per-router call counter, so a run is reproducible but successive calls differ.
   * Pass a fixed value to make two calls identical (gradient checks, replays).
   */
  seed?: number;
  /**
   * Whether a training call also updates the router's non-trainable state (bias balancing, cluster centres).
   * Default: equal to `training`. Set false for extra forwards of one step (evaluation passes, gradient checks).
   */
  updateState?: boolean;
  /** Task (or domain) index for routers with one gate per task (MMoE); 0 by default. */
  task?: number;
}

/**
 * Token-choice routing: each of T tokens picks up to k experts. Slots with index -1 go to no expert (a null
 * expert, a top-p threshold that chose fewer than k, or a token dropped by capacity); their weight is 0.
 */
export interface TokenChoiceRouting {
  mode: 'token-choice';
  /** [T, k] int32 expert ids, -1 for "no expert". */
  indices: tf.Tensor2D;
  /** [T, k] float32 combine weights. */
  weights: tf.Tensor2D;
  /** [T, E] routing probabilities over real experts (for load-balancing losses and telemetry). */
  probs: tf.Tensor2D;
  /** [T, E] logits before softmax (for the z-loss). */
  logits: tf.Tensor2D;
  /** Router-specific auxiliary losses (already weighted); layers add load-balancing terms. */
  aux: AuxLoss;
  /** Next layer's recurrent state (RMoE), if any. */
  state?: tf.Tensor;
}

/** Expert-choice routing (Zhou et al. 2022): each of E experts picks C tokens. */
export interface ExpertChoiceRouting {
  mode: 'expert-choice';
  /** [E, C] int32 token ids chosen by each expert. */
  tokenIndices: tf.Tensor2D;
  /** [E, C] float32 combine weights of those tokens. */
  weights: tf.Tensor2D;
  probs: tf.Tensor2D;
  logits: tf.Tensor2D;
  aux: AuxLoss;
}

/** Dense routing: every expert runs on every token with a weight (softmax gate, MMoE task gates). */
export interface DenseRouting {
  mode: 'dense';
  /** [T, E] weights summing to 1 per token. */
  weights: tf.Tensor2D;
  probs: tf.Tensor2D;
  logits: tf.Tensor2D;
  aux: AuxLoss;
}

export type Routing = TokenChoiceRouting | ExpertChoiceRouting | DenseRouting;

/** Every router: maps token representations [T, d] to a routing decision over `numExperts` experts. */
export abstract class Router extends Module {
  abstract readonly numExperts: number;
  abstract route(x: tf.Tensor2D, options: RouteOptions): Routing;

  /**
   * Per-expert capacity for a batch of `numTokens` tokens, or undefined for dropless dispatch. The layer
   * applies it (kernels' dispatch plan); routers only compute it. Default: dropless.
   */
  capacity(numTokens: number, training: boolean): number | undefined {
    void numTokens;
    void training;
    return undefined;
  }

  /**
   * True when the router's own `aux` already contains a load-balancing term that replaces the generic Switch
   * loss (null-aware balance of AdaMoE, bias balancing that needs none); layers then skip theirs.
   */
  get providesBalanceLoss(): boolean {
    return false;
  }
}

/** Disposes every tensor of a routing result (including aux parts). */
export function disposeRouting(r: Routing): void {
  const ts: tf.Tensor[] = [r.weights, r.probs, r.logits, r.aux.total, ...Object.values(r.aux.parts)];
  if (r.mode === 'token-choice') ts.push(r.indices, ...(r.state ? [r.state] : []));
  if (r.mode === 'expert-choice') ts.push(r.tokenIndices);
  tf.dispose(ts);
}

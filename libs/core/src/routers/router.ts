import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../module/module.js';
import type { AuxLoss } from '../module/loss.js';

/** Options of one routing call. */
export interface RouteOptions {
  /** Training mode enables noise, jitter, dropout and the training capacity factor. */
  training: boolean;
  /** State carried between layers by recurrent routers (RMoE); undefined for the first layer. */
  state?: tf.Tensor;
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
}

/** Disposes every tensor of a routing result (including aux parts). */
export function disposeRouting(r: Routing): void {
  const ts: tf.Tensor[] = [r.weights, r.probs, r.logits, r.aux.total, ...Object.values(r.aux.parts)];
  if (r.mode === 'token-choice') ts.push(r.indices, ...(r.state ? [r.state] : []));
  if (r.mode === 'expert-choice') ts.push(r.tokenIndices);
  tf.dispose(ts);
}

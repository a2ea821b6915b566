import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../module/module.js';
import type { AuxLoss } from '../module/loss.js';
import { loadBalancingLoss, type BalanceForm } from '../losses/balance.js';

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
  /**
   * [T] float32, 1 for a real token and 0 for padding. Routers leave padding out of their own losses and
   * state updates (bias balancing counts, noise losses, null-aware balance), and expert choice never picks
   * a padded token. The routing itself still covers all T rows; `MoeLayer` sends padded rows to no expert.
   */
  tokenMask?: tf.Tensor1D;
}

/** What a layer passes to {@link Router.balanceLoss}. */
export interface RouterBalanceOptions {
  /** Which choices count towards f (the layer's `balanceForm`). */
  form: BalanceForm;
  /** [T] float32 1 = real token, 0 = padding (left out of f and P). */
  tokenMask?: tf.Tensor1D;
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
   * The unweighted load-balancing term a layer adds for this router's `routing` (the layer multiplies it by
   * its `balanceWeight`), or undefined when there is none to add. Default: the Switch loss E·Σ f_e·P_e on
   * `probs` and `indices` of a token-choice routing; none for expert choice (balanced by construction) and
   * dense routing (nothing to balance). Routers with their own rule override it: EvoMoE's loss on the Gumbel
   * gates, and none for routers whose `aux` already carries their balance (AdaMoE's null-aware loss) or
   * that balance without a loss (bias balancing).
   */
  balanceLoss(routing: Routing, options: RouterBalanceOptions): tf.Scalar | undefined {
    if (routing.mode !== 'token-choice') return undefined;
    return loadBalancingLoss(routing.probs, routing.indices, { form: options.form, tokenMask: options.tokenMask });
  }
}

/** Disposes every tensor of a routing result (including aux parts). */
export function disposeRouting(r: Routing): void {
  const ts: tf.Tensor[] = [r.weights, r.probs, r.logits, r.aux.total, ...Object.values(r.aux.parts)];
  if (r.mode === 'token-choice') ts.push(r.indices, ...(r.state ? [r.state] : []));
  if (r.mode === 'expert-choice') ts.push(r.tokenIndices);
  tf.dispose(ts);
}

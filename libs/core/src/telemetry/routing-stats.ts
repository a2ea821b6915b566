import * as tf from '@tensorflow/tfjs-core';
import type { Routing } from '../routers/router.js';
import { countIds } from '../routers/selection.js';
import { routingEntropyLoss } from '../losses/entropy.js';
import { tidyObject } from '../experts/tidy-object.js';

/**
 * Device-side routing statistics of one forward: a handful of tiny tensors computed from the routing result
 * (no readback), so a layer can return them on every call — including in serving — and a caller who wants
 * numbers pays one async read (`readRoutingStats`). Dispose with `disposeRoutingStats`.
 */
export interface RoutingStats {
  mode: Routing['mode'];
  numTokens: number;
  numExperts: number;
  /** Per-expert capacity the layer applied, undefined when dropless (or dense routing). */
  capacity: number | undefined;
  /** [E] float32 assignments each expert computes (after capacity when the layer passed its plan's counts). */
  expertCounts: tf.Tensor1D;
  /** Scalar: assignments the router made before capacity (slots with an expert). */
  assignments: tf.Scalar;
  /** Scalar: assignments dropped by capacity (0 when dropless). */
  dropped: tf.Scalar;
  /** Scalar: tokens the router sent to no expert at all (null experts, top-p, expert choice). */
  unroutedTokens: tf.Scalar;
  /** Scalar: mean over tokens of the routing entropy −Σ_e p log p (nats). */
  meanEntropy: tf.Scalar;
  /** [T] int32 first-choice expert of each token (-1 = none), kept only for the consistency metric. */
  top1?: tf.Tensor1D;
  /** Scalar: real tokens of a masked batch (only with a token mask; the rates then count these only). */
  realTokens?: tf.Scalar;
}

/** What the layer knows beyond the routing result (its dispatch plan), for {@link routingStats}. */
export interface RoutingStatsOptions {
  /** Capacity the layer applied (undefined = dropless). */
  capacity?: number;
  /** [E] int32/float32 per-expert counts after capacity (kernels' DispatchPlan.counts). */
  counts?: tf.Tensor1D;
  /** Scalar int32/float32 assignments dropped by capacity (DispatchPlan.dropped). */
  dropped?: tf.Scalar;
  /** Keep each token's first choice for `RoutingConsistency` (costs a [T] read). Default false. */
  keepTop1?: boolean;
  /**
   * [T] float32, 1 = real token, 0 = padding: padding is left out of the counts, the entropy, the unrouted
   * tokens and the experts per token (its first choice reads -1). `counts`/`dropped` must already exclude it.
   */
  tokenMask?: tf.Tensor1D;
}

/** Computes the device-side statistics of a routing result (synchronous, no readback). */
export function routingStats(routing: Routing, options: RoutingStatsOptions = {}): RoutingStats {
  const [T, E] = routing.probs.shape;
  if (options.counts && (options.counts.rank !== 1 || options.counts.shape[0] !== E)) {
    throw new Error(`routingStats: options.counts must have shape [${E}]; got [${options.counts.shape}]`);
  }
  if (options.capacity !== undefined && (!Number.isInteger(options.capacity) || options.capacity < 0)) {
    throw new Error(`routingStats: options.capacity must be an integer ≥ 0 or undefined; got ${options.capacity}`);
  }
  const mask = options.tokenMask;
  if (mask && (mask.rank !== 1 || mask.shape[0] !== T)) throw new Error(`routingStats: options.tokenMask must have shape [${T}]; got [${mask.shape}]`);
  return tidyObject((): RoutingStats => {
    const p = routing.probs;
    const meanEntropy = routingEntropyLoss(p, mask);
    let routerCounts: tf.Tensor1D;
    let perToken: tf.Tensor1D; // experts each token got
    let top1: tf.Tensor1D | undefined;
    const realOnly = (ids: tf.Tensor2D): tf.Tensor2D =>
      mask ? (tf.where(tf.greater(tf.tile(tf.reshape(mask, [T, 1]), [1, ids.shape[1]]), 0), ids, tf.fill(ids.shape, -1, 'int32')) as tf.Tensor2D) : ids;
    if (routing.mode === 'token-choice') {
      const ids = realOnly(routing.indices);
      routerCounts = countIds(ids, E);
      perToken = tf.sum(tf.cast(tf.greaterEqual(ids, 0), 'float32'), 1) as tf.Tensor1D;
      if (options.keepTop1) top1 = tf.reshape(tf.slice(ids, [0, 0], [T, 1]), [T]) as tf.Tensor1D;
    } else if (routing.mode === 'expert-choice') {
      const C = routing.tokenIndices.shape[1];
      // With a mask, an expert's count is the real tokens among the C it picked.
      routerCounts = mask ? (tf.sum(tf.gather(mask, routing.tokenIndices), 1) as tf.Tensor1D) : (tf.fill([E], C) as tf.Tensor1D);
      perToken = countIds(routing.tokenIndices, T);
      if (options.keepTop1) top1 = tf.reshape(realOnly(tf.reshape(tf.cast(tf.argMax(p, 1), 'int32'), [T, 1]) as tf.Tensor2D), [T]) as tf.Tensor1D;
    } else {
      // Dense routing: every expert sees every token; "counts" are the soft weight mass per expert.
      routerCounts = tf.sum(mask ? tf.mul(routing.weights, tf.expandDims(mask, 1)) : routing.weights, 0) as tf.Tensor1D;
      perToken = tf.fill([T], E) as tf.Tensor1D;
      if (options.keepTop1) top1 = tf.reshape(realOnly(tf.reshape(tf.cast(tf.argMax(routing.weights, 1), 'int32'), [T, 1]) as tf.Tensor2D), [T]) as tf.Tensor1D;
    }
    const realTokens = mask ? (tf.sum(mask) as tf.Scalar) : undefined;
    const assignments = routing.mode === 'dense' ? (realTokens ? (tf.mul(realTokens, E) as tf.Scalar) : tf.scalar(T * E)) : (tf.sum(routerCounts) as tf.Scalar);
    const unrouted = tf.cast(tf.equal(perToken, 0), 'float32');
    return {
      mode: routing.mode,
      numTokens: T,
      numExperts: E,
      capacity: routing.mode === 'dense' ? undefined : options.capacity,
      expertCounts: options.counts ? (tf.cast(options.counts, 'float32') as tf.Tensor1D) : routerCounts,
      assignments,
      dropped: options.dropped ? (tf.cast(options.dropped, 'float32') as tf.Scalar) : tf.scalar(0),
      unroutedTokens: tf.sum(mask ? tf.mul(unrouted, mask) : unrouted) as tf.Scalar,
      meanEntropy,
      ...(top1 ? { top1 } : {}),
      ...(realTokens ? { realTokens } : {}),
    };
  });
}

/** Disposes every tensor of a {@link RoutingStats}. */
export function disposeRoutingStats(s: RoutingStats): void {
  tf.dispose([s.expertCounts, s.assignments, s.dropped, s.unroutedTokens, s.meanEntropy, ...(s.top1 ? [s.top1] : []), ...(s.realTokens ? [s.realTokens] : [])]);
}

/** Host-side numbers of one forward's routing. */
export interface RoutingStatsValues {
  mode: Routing['mode'];
  /** Tokens routed: the real tokens of a masked batch, else every row. */
  numTokens: number;
  numExperts: number;
  capacity: number | undefined;
  /** Assignments per expert. */
  expertCounts: number[];
  /** Share of all computed assignments per expert (sums to 1; 1/E each at perfect balance). */
  tokenShare: number[];
  maxShare: number;
  /** Experts that received at least one assignment (dead-expert detection). */
  activeExperts: number;
  /** Mean routing entropy (nats) and the same divided by ln E (1 = uniform routing, 0 = one-hot). */
  entropy: number;
  normalizedEntropy: number;
  /** Experts per token the router asked for (k for top-k, dynamic for top-p/null experts). */
  expertsPerToken: number;
  /** Dropped assignments / router assignments. */
  droppedRate: number;
  /** Tokens that got no expert / T. */
  unroutedRate: number;
  /** Per-expert count / capacity: mean and max over experts; undefined when dropless. */
  capacityUse: { mean: number; max: number } | undefined;
  /** First-choice experts (only when kept), for `RoutingConsistency`. */
  top1?: Int32Array;
}

/** Reads the statistics with one async transfer (a single concatenated tensor). */
export async function readRoutingStats(s: RoutingStats): Promise<RoutingStatsValues> {
  const E = s.numExperts;
  const packed = tf.tidy(() =>
    tf.concat([s.expertCounts, tf.stack([s.assignments, s.dropped, s.unroutedTokens, s.meanEntropy, s.realTokens ?? tf.scalar(s.numTokens)]), ...(s.top1 ? [tf.cast(s.top1, 'float32')] : [])]),
  );
  const v = await packed.data();
  packed.dispose();
  const counts = Array.from(v.subarray(0, E));
  const [assignments, dropped, unrouted, entropy, numTokens] = Array.from(v.subarray(E, E + 5));
  const total = counts.reduce((a, b) => a + b, 0);
  const tokenShare = counts.map((c) => (total > 0 ? c / total : 0));
  const capacity = s.capacity;
  return {
    mode: s.mode,
    numTokens,
    numExperts: E,
    capacity,
    expertCounts: counts,
    tokenShare,
    maxShare: Math.max(...tokenShare),
    activeExperts: counts.filter((c) => c > 0).length,
    entropy,
    normalizedEntropy: E > 1 ? entropy / Math.log(E) : 0,
    expertsPerToken: s.mode === 'dense' ? E : numTokens > 0 ? assignments / numTokens : 0,
    droppedRate: assignments > 0 ? dropped / assignments : 0,
    unroutedRate: numTokens > 0 ? unrouted / numTokens : 0,
    capacityUse:
      capacity === undefined || capacity === 0
        ? undefined
        : { mean: counts.reduce((a, c) => a + c / capacity, 0) / E, max: Math.max(...counts.map((c) => c / capacity)) },
    ...(s.top1 ? { top1: Int32Array.from(v.subarray(E + 5)) } : {}),
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import type { CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { countIds, detached } from './selection.js';
import { selectTopK } from './token-choice.js';
import { checkBoolean, checkInt, checkNumber, checkOneOf } from './validate.js';

/** Affinity function of {@link BiasBalancedRouter}. */
export type GateScore = 'sigmoid' | 'softmax';

/** Configuration of {@link BiasBalancedRouter} (DeepSeek-V3 style). */
export interface BiasBalancedRouterConfig extends GatedRouterConfig, CapacityConfig {
  k?: number;
  /** Affinity function s = score(ℓ) (DeepSeek-V3: sigmoid; V2: softmax). */
  score?: GateScore;
  /** Renormalise the selected affinities to sum 1 (V3 does; default true). */
  normalize?: boolean;
  /** Multiplier of the combine weights (V3 `route_scale` 2.5 for the 671B config; default 1). */
  routeScale?: number;
  /** Bias update speed γ (V3: 0.001). */
  biasUpdateRate?: number;
  /**
   * Group-limited routing (V3 671B: 8 groups, 4 kept): experts are split into `numGroups` equal groups, each
   * scored by the sum of its two best biased affinities; only the best `topKGroups` groups compete in the
   * top-k. Default 1 group = no limit.
   */
  numGroups?: number;
  topKGroups?: number;
}

const FIELDS = [...GATED_FIELDS, 'k', 'score', 'normalize', 'routeScale', 'biasUpdateRate', 'numGroups', 'topKGroups'] as const;

/**
 * Auxiliary-loss-free balancing (DeepSeek-V3; Wang et al. 2024): a per-expert bias b is added to the
 * affinities for *selection only* (weights use the unbiased s); after each training batch
 * b_e ← b_e + γ · sign(mean load − load_e), so overloaded experts become less likely to be picked without a
 * loss term that fights the language-model gradient. b is a non-trainable variable ('bias'): it is saved
 * with the weights and no optimizer touches it. The update runs inside `route` when training (and
 * `updateState` is not false). No balance loss: layers should skip theirs.
 */
export class BiasBalancedRouter extends TokenChoiceRouter {
  readonly kind = 'BiasBalancedRouter';
  readonly k: number;
  readonly score: GateScore;
  readonly normalize: boolean;
  readonly routeScale: number;
  readonly biasUpdateRate: number;
  readonly numGroups: number;
  readonly topKGroups: number;
  readonly bias: tf.Variable;

  constructor(config: BiasBalancedRouterConfig) {
    // The bias update balances the load: no loss term from the layer.
    super('BiasBalancedRouter', config, FIELDS, { droplessByDefault: true, layerBalance: false });
    this.k = config.k ?? 2;
    checkInt(this.kind, 'k', this.k, 1, this.numExperts);
    this.score = config.score ?? 'sigmoid';
    checkOneOf(this.kind, 'score', this.score, ['sigmoid', 'softmax'] as const);
    this.normalize = config.normalize ?? true;
    checkBoolean(this.kind, 'normalize', this.normalize);
    if (this.normalize && this.k === 1 && this.score === 'softmax') {
      throw new Error(`${this.kind}: normalize must be false when k = 1 with softmax scores (the weight would be the constant 1)`);
    }
    this.routeScale = config.routeScale ?? 1;
    checkNumber(this.kind, 'routeScale', this.routeScale, 0, Infinity, true);
    this.biasUpdateRate = config.biasUpdateRate ?? 1e-3;
    checkNumber(this.kind, 'biasUpdateRate', this.biasUpdateRate, 0);
    this.numGroups = config.numGroups ?? 1;
    checkInt(this.kind, 'numGroups', this.numGroups, 1, this.numExperts);
    if (this.numExperts % this.numGroups !== 0) throw new Error(`${this.kind}: numGroups must divide numExperts (${this.numExperts}); got ${this.numGroups}`);
    this.topKGroups = config.topKGroups ?? this.numGroups;
    checkInt(this.kind, 'topKGroups', this.topKGroups, 1, this.numGroups);
    if ((this.numExperts / this.numGroups) * this.topKGroups < this.k) {
      throw new Error(`${this.kind}: topKGroups · (numExperts / numGroups) must be ≥ k = ${this.k}; got ${this.topKGroups} · ${this.numExperts / this.numGroups}`);
    }
    this.bias = this.addParam('bias', tf.zeros([this.numExperts]), false);
  }

  protected slotsPerToken(): number {
    return this.k;
  }


  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    const update = options.training && (options.updateState ?? true) && this.biasUpdateRate > 0;
    return tidyObject(() => {
      const logits = this.gate.apply(x);
      const s = this.score === 'sigmoid' ? tf.sigmoid(logits) : tf.softmax(logits);
      const biased = detached((a, b) => this.limitGroups(tf.add(a, b) as tf.Tensor2D), s, this.bias);
      const { indices, weights: w } = selectTopK(biased, s, this.k, this.normalize);
      const weights = this.routeScale === 1 ? w : tf.mul<tf.Tensor2D>(w, this.routeScale);
      // Probabilities for losses/telemetry: the affinities normalised per token.
      const probs = this.score === 'softmax' ? s : tf.div<tf.Tensor2D>(s, tf.sum(s, 1, true));
      if (update) this.updateBias(indices, options.tokenMask);
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts({}) };
    });
  }

  /** Selection scores with the experts outside the best `topKGroups` groups pushed to −∞ (V3 `Gate`). */
  private limitGroups(biased: tf.Tensor2D): tf.Tensor2D {
    if (this.topKGroups === this.numGroups) return biased;
    const [T, E] = biased.shape;
    const G = this.numGroups;
    const perGroup = E / G;
    const grouped = tf.reshape(biased, [T, G, perGroup]);
    const groupScore = perGroup > 1 ? tf.sum(tf.topk(grouped, 2).values, 2) : tf.reshape(grouped, [T, G]);
    // Kept groups: score ≥ the topKGroups-th best score. A comparison with topk's values rather than a
    // one-hot of its indices summed over the kept axis: that sum transposes a tensor cast from int32, which
    // tfjs-webgpu 4.22 miscompiles ('setOutputAtIndex' f32/i32 mismatch), and the router returned garbage ids.
    const kth = tf.slice(tf.topk(groupScore, this.topKGroups).values, [0, this.topKGroups - 1], [T, 1]);
    const groupMask = tf.greaterEqual(groupScore, kth); // [T, G]
    const expertMask = tf.reshape(tf.tile(tf.expandDims(groupMask, 2), [1, 1, perGroup]), [T, E]);
    return tf.where(expertMask, biased, tf.fill([T, E], -Infinity)) as tf.Tensor2D;
  }

  /** b ← b + γ·sign(mean load − load), load = assignments per expert of this batch's real tokens. */
  private updateBias(indices: tf.Tensor2D, tokenMask: tf.Tensor1D | undefined): void {
    tf.tidy(() => {
      const load = countIds(indices, this.numExperts, tokenMask);
      this.bias.assign(tf.add(this.bias, tf.mul(this.biasUpdateRate, tf.sign(tf.sub(tf.mean(load), load)))));
    });
  }

  getConfig(): ModuleConfig {
    return {
      ...this.tokenChoiceConfig(),
      k: this.k,
      score: this.score,
      normalize: this.normalize,
      routeScale: this.routeScale,
      biasUpdateRate: this.biasUpdateRate,
      numGroups: this.numGroups,
      topKGroups: this.topKGroups,
    };
  }
}

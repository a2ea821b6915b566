import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import type { CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { detached, normalizeRows, pickColumns } from './selection.js';
import { routingEntropyLoss } from '../losses/entropy.js';
import { checkBoolean, checkInt, checkNumber } from './validate.js';

/** Configuration of {@link TopPRouter}. */
export interface TopPRouterConfig extends GatedRouterConfig, CapacityConfig {
  /** Cumulative probability threshold p (released code default 0.4; MixLoRA's dynamic variant 0.8). */
  threshold?: number;
  /** Static upper bound of experts per token (the width of `indices`; default E). */
  maxK?: number;
  /** Renormalise the kept weights (default false: the released code uses the raw probabilities). */
  normalize?: boolean;
  /**
   * Weight of the "dynamic" loss, the mean routing entropy, added in training (default 1e-4, our reading of
   * the paper's β; not checked against released training code, which is not public).
   */
  dynamicLossWeight?: number;
}

const FIELDS = [...GATED_FIELDS, 'threshold', 'maxK', 'normalize', 'dynamicLossWeight'] as const;

/**
 * Top-p dynamic routing ("Harder Tasks Need More Experts", Huang et al. 2024): experts sorted by
 * probability are taken until their cumulative probability exceeds p (the crossing expert included), so
 * confident tokens use one expert and uncertain ones several. Unused slots of the [T, maxK] result are -1.
 */
export class TopPRouter extends TokenChoiceRouter {
  readonly kind = 'TopPRouter';
  readonly threshold: number;
  readonly maxK: number;
  readonly normalize: boolean;
  readonly dynamicLossWeight: number;

  constructor(config: TopPRouterConfig) {
    // The number of experts per token is data-dependent, so dropless is the safe default.
    super('TopPRouter', config, FIELDS, { droplessByDefault: true });
    this.threshold = config.threshold ?? 0.4;
    checkNumber(this.kind, 'threshold', this.threshold, 0, 1, true);
    this.maxK = config.maxK ?? this.numExperts;
    checkInt(this.kind, 'maxK', this.maxK, 1, this.numExperts);
    this.normalize = config.normalize ?? false;
    checkBoolean(this.kind, 'normalize', this.normalize);
    this.dynamicLossWeight = config.dynamicLossWeight ?? 1e-4;
    checkNumber(this.kind, 'dynamicLossWeight', this.dynamicLossWeight, 0);
  }

  protected slotsPerToken(): number {
    return this.maxK;
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    return tidyObject(() => {
      const logits = this.gate.apply(x);
      const probs = tf.softmax(logits);
      const p = this.threshold;
      const indices = detached((pr) => {
        const { values, indices: idx } = tf.topk(pr, this.maxK);
        // Keep expert j while the probability mass before it is still below p: includes the crossing one.
        const before = tf.sub(tf.cumsum(values, 1), values);
        return tf.where(tf.less(before, p), idx, tf.fill(idx.shape, -1, 'int32')) as tf.Tensor2D;
      }, probs);
      const picked = pickColumns(probs, indices);
      const weights = this.normalize ? normalizeRows(picked) : picked;
      const parts: Record<string, tf.Scalar> = {};
      if (options.training && this.dynamicLossWeight > 0) parts.dynamic = tf.mul(this.dynamicLossWeight, routingEntropyLoss(probs, options.tokenMask));
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts(parts) };
    });
  }

  getConfig(): ModuleConfig {
    return {
      ...this.tokenChoiceConfig(),
      threshold: this.threshold,
      maxK: this.maxK,
      normalize: this.normalize,
      dynamicLossWeight: this.dynamicLossWeight,
    };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import type { ExpertChoiceRouting, RouteOptions } from './router.js';
import { GatedRouter, GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { topKIndices } from './selection.js';
import { takeAlongRows } from './token-choice.js';
import { checkInt, checkNumber } from './validate.js';

/** Configuration of {@link ExpertChoiceRouter}. */
export interface ExpertChoiceRouterConfig extends GatedRouterConfig {
  /** Capacity factor c: each expert takes C = ⌈c·T/E⌉ tokens (paper: 2 in most runs; default 2). */
  capacityFactor?: number;
  /** Capacity factor in evaluation (default: the training one). */
  evalCapacityFactor?: number;
}

const FIELDS = [...GATED_FIELDS, 'capacityFactor', 'evalCapacityFactor'] as const;

/**
 * Expert-choice routing (Zhou et al. 2022): S = softmax(x W_g) over experts; each expert takes the C tokens
 * with the highest score in its column; combine weight = that score. Perfectly balanced by construction (no
 * aux loss); a token may get 0..E experts. Looks at the whole batch, so it breaks causality — do not use it
 * in autoregressive decoders.
 */
export class ExpertChoiceRouter extends GatedRouter {
  readonly kind = 'ExpertChoiceRouter';
  readonly capacityFactor: number;
  readonly evalCapacityFactor: number;

  constructor(config: ExpertChoiceRouterConfig) {
    super('ExpertChoiceRouter', config, FIELDS);
    this.capacityFactor = config.capacityFactor ?? 2;
    checkNumber(this.kind, 'capacityFactor', this.capacityFactor, 0, Infinity, true);
    this.evalCapacityFactor = config.evalCapacityFactor ?? this.capacityFactor;
    checkNumber(this.kind, 'evalCapacityFactor', this.evalCapacityFactor, 0, Infinity, true);
  }

  /** Tokens per expert C = min(T, max(1, ⌈c·T/E⌉)). */
  override capacity(numTokens: number, training: boolean): number {
    checkInt(this.kind, 'numTokens', numTokens);
    const c = training ? this.capacityFactor : this.evalCapacityFactor;
    return Math.min(numTokens, Math.max(1, Math.ceil((c * numTokens) / this.numExperts)));
  }

  route(x: tf.Tensor2D, options: RouteOptions): ExpertChoiceRouting {
    this.checkInput(x, options);
    const C = this.capacity(x.shape[0], options.training);
    const mask = options.tokenMask;
    return tidyObject(() => {
      const logits = this.gate.apply(x);
      const probs = tf.softmax(logits);
      const perExpert = tf.transpose(probs) as tf.Tensor2D; // [E, T]
      // Padding scores below every real token (probabilities are ≥ 0), so no expert picks it while real tokens remain.
      const tokenIndices = topKIndices(mask ? (tf.sub(perExpert, tf.mul(2, tf.sub(1, tf.reshape(mask, [1, -1])))) as tf.Tensor2D) : perExpert, C);
      const weights = takeAlongRows(perExpert, tokenIndices);
      return { mode: 'expert-choice' as const, tokenIndices, weights, probs, logits, aux: auxFromParts({}) };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.gatedConfig(), capacityFactor: this.capacityFactor, evalCapacityFactor: this.evalCapacityFactor };
  }
}

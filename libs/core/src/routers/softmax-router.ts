import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import type { DenseRouting, RouteOptions } from './router.js';
import { GatedRouter, GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { checkNumber } from './validate.js';

/** Configuration of {@link SoftmaxRouter}. */
export interface SoftmaxRouterConfig extends GatedRouterConfig {
  /** Softmax temperature τ: weights = softmax(ℓ / τ) (default 1; X-LoRA exposes it). */
  temperature?: number;
}

export const SOFTMAX_FIELDS = [...GATED_FIELDS, 'temperature'] as const;

/**
 * Dense softmax gate: every expert gets a weight for every token (MoE of Jacobs et al., MMoE task gates,
 * LoRAMoE, X-LoRA). No capacity, no aux loss of its own.
 */
export class SoftmaxRouter extends GatedRouter {
  readonly kind = 'SoftmaxRouter';
  readonly temperature: number;

  constructor(config: SoftmaxRouterConfig) {
    super('SoftmaxRouter', config, SOFTMAX_FIELDS);
    this.temperature = config.temperature ?? 1;
    checkNumber('SoftmaxRouter', 'temperature', this.temperature, 0, Infinity, true);
  }

  route(x: tf.Tensor2D, options: RouteOptions): DenseRouting {
    this.checkInput(x, options);
    return tidyObject(() => {
      const logits = this.gate.apply(x);
      const probs: tf.Tensor2D = tf.softmax(this.temperature === 1 ? logits : tf.div<tf.Tensor2D>(logits, this.temperature));
      return { mode: 'dense' as const, weights: tf.clone(probs), probs, logits, aux: auxFromParts({}) };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.gatedConfig(), temperature: this.temperature };
  }
}

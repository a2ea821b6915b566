import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import type { CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { detached, maskIndices, normalizeRows, pickColumns, topKIndices } from './selection.js';
import { nullAwareBalanceLoss } from '../losses/balance.js';
import { DEFAULT_LOSS_COEFFICIENTS } from '../losses/coefficients.js';
import { checkInt, checkNumber } from './validate.js';

/** Configuration of {@link NullExpertRouter}. */
export interface NullExpertRouterConfig extends GatedRouterConfig, CapacityConfig {
  /** Null experts m: zero-output, zero-FLOP choices (default E). */
  numNullExperts?: number;
  /** Slots per token over the E + m candidates (default 4; larger than a plain top-k on purpose). */
  k?: number;
  /** Weight of the null-aware balance loss added in training (default 1e-2). */
  balanceWeight?: number;
}

const FIELDS = [...GATED_FIELDS, 'numNullExperts', 'k', 'balanceWeight'] as const;

/**
 * AdaMoE null experts (Zeng et al. 2024): the gate scores E real + m null experts; top-k runs over all E + m;
 * slots that land on a null expert become -1 (no compute), so a token uses between 0 and k real experts.
 * Weights are renormalised over the real experts selected. The router supplies its own null-aware balance
 * loss (null experts share one averaged f), so layers must not add the generic one.
 * `probs`/`logits` cover the real experts only (probs renormalised over them).
 */
export class NullExpertRouter extends TokenChoiceRouter {
  readonly kind = 'NullExpertRouter';
  readonly numNullExperts: number;
  readonly k: number;
  readonly balanceWeight: number;

  constructor(config: NullExpertRouterConfig) {
    const m = config?.numNullExperts ?? config?.numExperts;
    checkInt('NullExpertRouter', 'numNullExperts', m);
    // Its null-aware balance is in its own aux (it needs the null slots the routing drops): no layer term.
    super('NullExpertRouter', config, FIELDS, { droplessByDefault: true, gateOutputs: config.numExperts + m, layerBalance: false });
    this.numNullExperts = m;
    this.k = config.k ?? Math.min(4, this.numExperts + m);
    checkInt(this.kind, 'k', this.k, 1, this.numExperts + m);
    this.balanceWeight = config.balanceWeight ?? DEFAULT_LOSS_COEFFICIENTS.switchBalance;
    checkNumber(this.kind, 'balanceWeight', this.balanceWeight, 0);
  }

  protected slotsPerToken(): number {
    return this.k;
  }


  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    const E = this.numExperts;
    return tidyObject(() => {
      const T = x.shape[0];
      const allLogits = this.gate.apply(x);
      const allProbs = tf.softmax(allLogits);
      const all = topKIndices(allProbs, this.k);
      // Null slots become -1 (a discrete decision, so computed off the tape like the selection itself).
      const indices = detached((a) => maskIndices(a as tf.Tensor2D, tf.less(a, E)), all);
      const weights = normalizeRows(pickColumns(allProbs, indices));
      const logits = tf.slice(allLogits, [0, 0], [T, E]);
      const probs = normalizeRows(tf.slice(allProbs, [0, 0], [T, E]));
      const parts: Record<string, tf.Scalar> = {};
      if (options.training && this.balanceWeight > 0) parts.balance = tf.mul(this.balanceWeight, nullAwareBalanceLoss(allProbs, all, E, options.tokenMask));
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts(parts) };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.tokenChoiceConfig(), numNullExperts: this.numNullExperts, k: this.k, balanceWeight: this.balanceWeight };
  }
}

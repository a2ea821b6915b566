import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';
import { glorot } from './dense.js';

/**
 * A softmax gate over `numExperts`, with separate linear gate weights per domain when `numDomains` > 1
 * ("domain gates"); the row's own domain gate is picked with a one-hot product, which differentiates on
 * every backend (no gather gradient). Returns weights [B, E].
 */
export class DomainGate extends Module {
  readonly kind = 'CtrDomainGate';
  private readonly w: tf.Variable;
  private readonly b: tf.Variable;

  constructor(readonly inputDim: number, readonly numExperts: number, readonly numDomains: number, readonly seed: number) {
    super();
    this.w = this.addParam('w', glorot([inputDim, numDomains * numExperts], deriveSeed(seed, 'w')));
    this.b = this.addParam('b', tf.zeros([numDomains * numExperts]));
  }

  logits(x: tf.Tensor2D, domainOneHot: tf.Tensor2D): tf.Tensor2D {
    const all = tf.add(tf.matMul(x, this.w), this.b);
    if (this.numDomains === 1) return all as tf.Tensor2D;
    const perDomain = tf.reshape(all, [-1, this.numDomains, this.numExperts]);
    return tf.sum(tf.mul(perDomain, tf.expandDims(domainOneHot, 2)), 1) as tf.Tensor2D;
  }

  apply(x: tf.Tensor2D, domainOneHot: tf.Tensor2D): tf.Tensor2D {
    return tf.softmax(this.logits(x, domainOneHot));
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, numExperts: this.numExperts, numDomains: this.numDomains, seed: this.seed };
  }
}

/** Σ_e w[:, e] · experts[e] for expert outputs [B, h] and weights [B, E]. */
export function mixExperts(experts: tf.Tensor2D[], weights: tf.Tensor2D): tf.Tensor2D {
  const stacked = tf.stack(experts, 1); // [B, E, h]
  return tf.sum(tf.mul(stacked, tf.expandDims(weights, 2)), 1) as tf.Tensor2D;
}

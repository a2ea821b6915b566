import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '@moe/core';
import { checkFinite, checkPositiveInt } from './check-args.js';

/** Configuration of {@link LayerNorm}. */
export interface LayerNormConfig {
  dim: number;
  /** Added to the variance (default 1e-6, as timm's ViT). */
  epsilon?: number;
}

/** Layer normalisation over the last axis with a learnable gain γ (init 1) and shift β (init 0). */
export class LayerNorm extends Module {
  readonly kind = 'LayerNorm';
  readonly dim: number;
  readonly epsilon: number;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;

  constructor(config: LayerNormConfig) {
    super();
    this.dim = checkPositiveInt('LayerNorm', 'dim', config.dim);
    this.epsilon = checkFinite('LayerNorm', 'epsilon', config.epsilon ?? 1e-6);
    this.gamma = this.addParam('gamma', tf.ones([this.dim]));
    this.beta = this.addParam('beta', tf.zeros([this.dim]));
  }

  apply<T extends tf.Tensor>(x: T): T {
    if (x.shape[x.rank - 1] !== this.dim) throw new Error(`LayerNorm.apply: x last dimension must be ${this.dim}; got shape [${x.shape}]`);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gamma), this.beta) as T;
    });
  }

  getConfig(): ModuleConfig {
    return { dim: this.dim, epsilon: this.epsilon };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { activate } from '../experts/activation.js';
import { checkInt, checkNumber } from '../experts/check.js';
import { Module, type ModuleConfig } from '../module/module.js';

/** Configuration of {@link ExpertNorm}. */
export interface ExpertNormConfig {
  numExperts: number;
  channels: number;
  /** Running-statistics momentum (default 0.9). */
  momentum?: number;
  epsilon?: number;
}

/**
 * HoME's expert normalisation: Swish(BN(expert output)) per expert and channel, so all experts' outputs share
 * one scale and never collapse to ReLU zeros. Batch statistics in training (running averages updated),
 * running statistics at evaluation; γ, β learned, running mean/var kept as non-trainable weights (saved).
 */
export class ExpertNorm extends Module {
  readonly kind = 'ExpertNorm';
  readonly config: Required<ExpertNormConfig>;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly runningMean: tf.Variable;
  private readonly runningVar: tf.Variable;

  constructor(config: ExpertNormConfig) {
    super();
    this.config = { momentum: 0.9, epsilon: 1e-5, ...config };
    checkInt('ExpertNorm', 'numExperts', this.config.numExperts);
    checkInt('ExpertNorm', 'channels', this.config.channels);
    checkNumber('ExpertNorm', 'momentum', this.config.momentum, 0, 1);
    checkNumber('ExpertNorm', 'epsilon', this.config.epsilon, 0, Infinity, true);
    const shape = [config.numExperts, 1, config.channels];
    this.gamma = this.addParam('gamma', tf.ones(shape));
    this.beta = this.addParam('beta', tf.zeros(shape));
    this.runningMean = this.addParam('runningMean', tf.zeros(shape), false);
    this.runningVar = this.addParam('runningVar', tf.ones(shape), false);
  }

  /** y [E, T, C] → Swish(γ·(y − μ)/√(σ² + ε) + β). */
  apply(y: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      let mean: tf.Tensor = this.runningMean;
      let variance: tf.Tensor = this.runningVar;
      if (training) {
        const m = tf.moments(y, 1, true);
        mean = m.mean;
        variance = m.variance;
        const k = this.config.momentum;
        // Running statistics are state, not part of the differentiated function.
        this.runningMean.assign(tf.add(tf.mul(k, this.runningMean), tf.mul(1 - k, tf.clone(mean))));
        this.runningVar.assign(tf.add(tf.mul(k, this.runningVar), tf.mul(1 - k, tf.clone(variance))));
      }
      const normed = tf.add(tf.mul(this.gamma, tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, this.config.epsilon)))), this.beta);
      return activate(normed, 'swish') as tf.Tensor3D;
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}

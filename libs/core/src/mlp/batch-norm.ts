import * as tf from '@tensorflow/tfjs-core';
import { checkInt, checkNumber } from '../routers/validate.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { pushStateUpdate, type ForwardContext } from './forward-context.js';

/** Configuration of {@link BatchNorm}. */
export interface BatchNormConfig {
  channels: number;
  /**
   * Independent normalisers stacked on a leading axis (one per expert of a bank): input [groups, B, channels],
   * statistics per group. 0 (default) = one normaliser, input [B, channels].
   */
  groups?: number;
  /**
   * Moving-average momentum (default 0.9, not Keras' 0.99: CTR runs are a few hundred steps, and slow averages
   * would leave inference statistics far from the training ones).
   */
  momentum?: number;
  /** Default 1e-3. */
  epsilon?: number;
}

/**
 * Batch normalisation over the batch axis: batch statistics in training — the new moving averages are
 * returned as state updates in the context, never assigned inside the forward — and moving statistics at
 * inference. `normalize` leaves out the affine part (STAR's partitioned normalisation scales per domain).
 */
export class BatchNorm extends Module {
  readonly kind = 'BatchNorm';
  readonly config: Required<BatchNormConfig>;
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVar: tf.Variable;

  constructor(config: BatchNormConfig) {
    super();
    this.config = { groups: 0, momentum: 0.9, epsilon: 1e-3, ...config };
    const c = this.config;
    checkInt('BatchNorm', 'channels', c.channels);
    checkInt('BatchNorm', 'groups', c.groups, 0);
    checkNumber('BatchNorm', 'momentum', c.momentum, 0, 1);
    checkNumber('BatchNorm', 'epsilon', c.epsilon, 0, Infinity, true);
    const shape = c.groups ? [c.groups, 1, c.channels] : [c.channels];
    this.gamma = this.addParam('gamma', tf.ones(shape));
    this.beta = this.addParam('beta', tf.zeros(shape));
    this.movingMean = this.addParam('movingMean', tf.zeros(shape), false);
    this.movingVar = this.addParam('movingVar', tf.ones(shape), false);
  }

  /** (x − μ)/√(σ² + ε) with batch statistics (training, updates queued in `ctx`) or moving ones. */
  normalize<T extends tf.Tensor2D | tf.Tensor3D>(x: T, ctx: ForwardContext): T {
    const c = this.config;
    const rank = c.groups ? 3 : 2;
    if (x.rank !== rank || x.shape[rank - 1] !== c.channels || (c.groups && x.shape[0] !== c.groups)) {
      throw new Error(`BatchNorm: x must be [${c.groups ? `${c.groups}, ` : ''}B, ${c.channels}]; got [${x.shape}]`);
    }
    return tf.tidy(() => {
      if (!ctx.training) return tf.div(tf.sub(x, this.movingMean), tf.sqrt(tf.add(this.movingVar, c.epsilon)));
      const { mean, variance } = tf.moments(x, rank - 2, rank === 3);
      pushStateUpdate(ctx, this.movingMean, mean, c.momentum);
      pushStateUpdate(ctx, this.movingVar, variance, c.momentum);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, c.epsilon)));
    }) as T;
  }

  /** γ·normalize(x) + β. */
  apply<T extends tf.Tensor2D | tf.Tensor3D>(x: T, ctx: ForwardContext): T {
    return tf.tidy(() => tf.add(tf.mul(this.normalize(x, ctx), this.gamma), this.beta)) as T;
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}

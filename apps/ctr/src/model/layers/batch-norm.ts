import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '@moe/core';
import type { ForwardContext } from '../forward-context.js';

/**
 * Batch normalisation over the batch axis of [B, n]: batch statistics in training (pushed as state updates for
 * the moving averages), moving statistics at inference. `normalize` leaves out the affine part so STAR's
 * partitioned normalisation can apply per-domain scales.
 */
export class BatchNorm extends Module {
  readonly kind = 'CtrBatchNorm';
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  private readonly movingMean: tf.Variable;
  private readonly movingVar: tf.Variable;

  // Momentum 0.9 (not Keras' 0.99): runs here are a few hundred steps, and slow moving averages would leave
  // inference statistics far from the training ones.
  constructor(readonly size: number, readonly momentum = 0.9, readonly epsilon = 1e-3) {
    super();
    this.gamma = this.addParam('gamma', tf.ones([size]));
    this.beta = this.addParam('beta', tf.zeros([size]));
    this.movingMean = this.addParam('movingMean', tf.zeros([size]), false);
    this.movingVar = this.addParam('movingVar', tf.ones([size]), false);
  }

  normalize(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    if (!ctx.training) return tf.div(tf.sub(x, this.movingMean), tf.sqrt(tf.add(this.movingVar, this.epsilon)));
    const { mean, variance } = tf.moments(x, 0);
    ctx.stateUpdates.push({ variable: this.movingMean, value: tf.keep(mean), momentum: this.momentum });
    ctx.stateUpdates.push({ variable: this.movingVar, value: tf.keep(variance), momentum: this.momentum });
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.epsilon)));
  }

  apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return tf.add(tf.mul(this.normalize(x, ctx), this.gamma), this.beta);
  }

  getConfig(): ModuleConfig {
    return { size: this.size, momentum: this.momentum, epsilon: this.epsilon };
  }
}

/** Applies moving-average updates collected during a training forward pass, then frees them. */
export function applyStateUpdates(ctx: ForwardContext): void {
  for (const u of ctx.stateUpdates) {
    const next = tf.tidy(() => tf.add(tf.mul(u.variable, u.momentum), tf.mul(u.value, 1 - u.momentum)));
    u.variable.assign(next);
    next.dispose();
    u.value.dispose();
  }
  ctx.stateUpdates.length = 0;
}

import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../mlp/batch-norm.js';
import type { ForwardContext } from '../mlp/forward-context.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { checkInt } from '../routers/validate.js';

/** Configuration of {@link PartitionedNorm}. */
export interface PartitionedNormConfig {
  channels: number;
  numDomains: number;
}

/**
 * STAR's partitioned normalisation: z' = (γ ⊙ γ_d)·(z − μ)/√(σ² + ε) + (β + β_d), shared γ, β and per-domain
 * γ_d (init 1), β_d (init 0) picked by the domain side input; batch statistics as in `BatchNorm` (updates
 * deferred to the context).
 */
export class PartitionedNorm extends Module {
  readonly kind = 'PartitionedNorm';
  readonly config: PartitionedNormConfig;
  private readonly norm: BatchNorm;
  private readonly domainGamma: tf.Variable;
  private readonly domainBeta: tf.Variable;

  constructor(config: PartitionedNormConfig) {
    super();
    checkInt('PartitionedNorm', 'channels', config.channels);
    checkInt('PartitionedNorm', 'numDomains', config.numDomains);
    this.config = { ...config };
    this.norm = this.addChild('norm', new BatchNorm({ channels: config.channels }));
    this.domainGamma = this.addParam('domainGamma', tf.ones([config.numDomains, config.channels]));
    this.domainBeta = this.addParam('domainBeta', tf.zeros([config.numDomains, config.channels]));
  }

  /** x [B, channels], domainOneHot [B, numDomains]. */
  apply(x: tf.Tensor2D, domainOneHot: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    if (domainOneHot.rank !== 2 || domainOneHot.shape[0] !== x.shape[0] || domainOneHot.shape[1] !== this.config.numDomains) {
      throw new Error(`PartitionedNorm.apply: domainOneHot must be [${x.shape[0]}, ${this.config.numDomains}]; got [${domainOneHot.shape}]`);
    }
    return tf.tidy(() => {
      const gamma = tf.mul(this.norm.gamma, tf.matMul(domainOneHot, this.domainGamma));
      const beta = tf.add(this.norm.beta, tf.matMul(domainOneHot, this.domainBeta));
      return tf.add(tf.mul(this.norm.normalize(x, ctx), gamma), beta) as tf.Tensor2D;
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}

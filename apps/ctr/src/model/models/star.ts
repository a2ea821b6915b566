import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { makeGroupPlan, type GroupPlan } from '../layers/group-dispatch.js';
import { Mlp } from '../layers/mlp.js';
import { StarTowerBank } from '../layers/star-tower-bank.js';
import type { ModelConfig } from '../model-config.js';

/**
 * STAR: partitioned normalisation z' = (γ ⊙ γ_d)·norm(z) + (β + β_d), a star-topology tower per domain, and an
 * auxiliary network whose logit is added (ŷ = σ(s_star + s_aux)). The final layer stays linear — unlike the
 * Scenario-Wise-Rec version, which passes the 1-unit logit through BN + ReLU (ctr.md §1.4).
 */
export class StarModel extends CtrModel {
  readonly kind = 'STAR';
  private readonly norm?: BatchNorm;
  private readonly domainGamma?: tf.Variable;
  private readonly domainBeta?: tf.Variable;
  private readonly towers: StarTowerBank;
  private readonly aux?: Mlp;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    if (config.partitionedNorm) {
      this.norm = this.addChild('norm', new BatchNorm(this.inputDim));
      this.domainGamma = this.addParam('domainGamma', tf.ones([layout.numDomains, this.inputDim]));
      this.domainBeta = this.addParam('domainBeta', tf.zeros([layout.numDomains, this.inputDim]));
    }
    this.towers = this.addChild('towers', new StarTowerBank(this.inputDim, [...config.hidden, this.numTasks], layout.numDomains, deriveSeed(config.seed, 'towers')));
    if (config.auxNetwork) this.aux = this.addChild('aux', new Mlp(this.inputDim, [...config.tower, this.numTasks], deriveSeed(config.seed, 'aux'), { linearOutput: true }));
  }

  override async plan(inputs: ModelInputs): Promise<GroupPlan> {
    return makeGroupPlan(inputs.domain, this.layout.numDomains);
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    let z = x;
    if (this.norm && this.domainGamma && this.domainBeta) {
      const gamma = tf.mul(this.norm.gamma, tf.matMul(inputs.domainOneHot, this.domainGamma));
      const beta = tf.add(this.norm.beta, tf.matMul(inputs.domainOneHot, this.domainBeta));
      z = tf.add(tf.mul(this.norm.normalize(x, ctx), gamma), beta);
    }
    const plan = inputs.plan ?? makeGroupPlan(inputs.domain, this.layout.numDomains);
    const star = this.towers.apply(z, plan, this.config.dispatch);
    return this.aux ? tf.add(star, this.aux.apply(x, ctx)) : star;
  }
}

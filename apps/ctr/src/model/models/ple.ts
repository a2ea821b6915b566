import type * as tf from '@tensorflow/tfjs-core';
import { Ple, deriveSeed, type ForwardContext, type TaskTowers } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';
import { gateOptions } from './mmoe.js';

/**
 * PLE / CGC (Tang et al. 2020) from core: per level, shared experts plus task-specific experts; task t's gate
 * mixes its own and the shared experts; the shared gate (over all experts of the level) feeds the next level.
 * `levels` = 1 is CGC. Gates per (domain, task) with `gate: 'domain-task'`.
 */
export class PleModel extends CtrModel {
  readonly kind = 'PLE';
  private readonly block: Ple;
  private readonly heads: TaskTowers;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.block = this.addChild('ple', new Ple({
      inputDim: this.inputDim, numTasks: this.numTasks, levels: config.levels, sharedExperts: config.sharedExperts, taskExperts: config.specificExperts,
      expertLayers: { sizes: [...config.hidden] }, ...gateOptions(layout, config), seed: deriveSeed(config.seed, 'ple'),
    }));
    this.heads = this.addChild('heads', this.domainTaskHeads(this.block.outputDim));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const f = this.block.apply(x, { ctx, condition: inputs.domainOneHot });
    return this.heads.apply(f.outputs, ctx, inputs.domainOneHot);
  }
}

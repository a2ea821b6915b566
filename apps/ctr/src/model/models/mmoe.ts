import type * as tf from '@tensorflow/tfjs-core';
import { Mmoe, deriveSeed, type ExpertGateOptions, type ForwardContext, type TaskTowers } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';

/**
 * MMoE (Ma et al. 2018) from core: `numExperts` expert MLPs (`hidden`) on x, one softmax gate per task — per
 * (domain, task) with `gate: 'domain-task'` — then per-task towers with per-domain outputs.
 */
export class MmoeModel extends CtrModel {
  readonly kind = 'MMoE';
  private readonly block: Mmoe;
  private readonly heads: TaskTowers;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.block = this.addChild('mmoe', new Mmoe({
      inputDim: this.inputDim, numTasks: this.numTasks, numExperts: config.numExperts, expertLayers: { sizes: [...config.hidden] },
      ...gateOptions(layout, config), seed: deriveSeed(config.seed, 'mmoe'),
    }));
    this.heads = this.addChild('heads', this.domainTaskHeads(this.block.outputDim));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const f = this.block.apply(x, { ctx, condition: inputs.domainOneHot });
    return this.heads.apply(f.outputs, ctx, inputs.domainOneHot);
  }
}

/**
 * The app's gate settings: per-(domain, task) or per-task gates, with a bias and a fan-in-scaled initial
 * logit layer (std √(1/d)), so gates start input-dependent instead of near-uniform.
 */
export function gateOptions(layout: EncodedLayout, config: ModelConfig): Pick<ExpertGateOptions, 'gateConditions' | 'gateBias' | 'gateInitScale' | 'taskNames'> {
  return { gateConditions: config.gate === 'domain-task' ? layout.numDomains : 1, gateBias: true, gateInitScale: 1, taskNames: layout.tasks.map((t) => t.name) };
}

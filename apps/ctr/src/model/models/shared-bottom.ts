import type * as tf from '@tensorflow/tfjs-core';
import { Mlp, deriveSeed, type ForwardContext, type TaskTowers } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';

/** Shared-Bottom (Caruana 1997): one bottom MLP for every domain and task, then per-task towers. */
export class SharedBottomModel extends CtrModel {
  readonly kind = 'SharedBottom';
  private readonly bottom: Mlp;
  private readonly heads: TaskTowers;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.bottom = this.addChild('bottom', new Mlp({ inputDim: this.inputDim, sizes: [...config.hidden], seed: deriveSeed(config.seed, 'bottom') }));
    this.heads = this.addChild('heads', this.domainTaskHeads(this.bottom.outputDim));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    return this.heads.apply(this.bottom.apply(x, ctx), ctx, inputs.domainOneHot);
  }
}

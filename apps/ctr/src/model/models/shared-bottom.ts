import type * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { DomainTaskHeads } from '../layers/domain-task-heads.js';
import { Mlp } from '../layers/mlp.js';
import type { ModelConfig } from '../model-config.js';

/** Shared-Bottom (Caruana 1997): one bottom MLP for every domain and task, then per-task towers. */
export class SharedBottomModel extends CtrModel {
  readonly kind = 'SharedBottom';
  private readonly bottom: Mlp;
  private readonly heads: DomainTaskHeads;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.bottom = this.addChild('bottom', new Mlp(this.inputDim, config.hidden, deriveSeed(config.seed, 'bottom')));
    this.heads = this.addChild('heads', new DomainTaskHeads(this.bottom.outputDim, this.numTasks, layout.numDomains, config.tower, deriveSeed(config.seed, 'heads')));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    return this.heads.apply(this.bottom.apply(x, ctx), inputs.domainOneHot, ctx);
  }
}

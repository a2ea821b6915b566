import type * as tf from '@tensorflow/tfjs-core';
import { Star, deriveSeed, type ForwardContext } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';

/**
 * STAR from core: partitioned normalisation, a star-topology tower per domain (`hidden` + one logit per task)
 * and an auxiliary network (`tower` hidden sizes) whose logit is added; `partitionedNorm` / `auxNetwork` ablate.
 */
export class StarModel extends CtrModel {
  readonly kind = 'STAR';
  private readonly block: Star;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.block = this.addChild('star', new Star({
      inputDim: this.inputDim, numDomains: layout.numDomains, sizes: [...config.hidden, this.numTasks], partitionedNorm: config.partitionedNorm,
      auxHidden: config.auxNetwork ? [...config.tower] : null, dispatch: config.dispatch, seed: deriveSeed(config.seed, 'star'),
    }));
  }

  override route(inputs: ModelInputs): tf.Tensor2D {
    return inputs.domainIds.clone();
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    return this.block.apply(x, inputs.groups ?? inputs.domainIds, ctx);
  }
}

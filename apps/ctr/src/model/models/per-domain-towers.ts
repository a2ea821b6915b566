import type * as tf from '@tensorflow/tfjs-core';
import { Mlp, MlpExperts, applyRouted, deriveSeed, type ForwardContext } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';

/**
 * Per-domain towers: a shared bottom, then one full tower per domain (hidden `tower` sizes, output one logit
 * per task) — a bank of domain experts each row is dispatched to by its domain (or dense-masked with
 * `dispatch: 'dense'`).
 */
export class PerDomainTowersModel extends CtrModel {
  readonly kind = 'PerDomainTowers';
  private readonly bottom: Mlp;
  private readonly towers: MlpExperts;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.bottom = this.addChild('bottom', new Mlp({ inputDim: this.inputDim, sizes: [...config.hidden], seed: deriveSeed(config.seed, 'bottom') }));
    this.towers = this.addChild('towers', new MlpExperts({ numExperts: layout.numDomains, inputDim: this.bottom.outputDim, sizes: [...config.tower, this.numTasks], linearOutput: true, seed: deriveSeed(config.seed, 'towers') }));
  }

  override route(inputs: ModelInputs): tf.Tensor2D {
    return inputs.domainIds.clone();
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    return applyRouted(this.towers, this.bottom.apply(x, ctx), inputs.groups ?? inputs.domainIds, this.config.dispatch);
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { AdaptDhm, deriveSeed, type ForwardContext } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';

/**
 * AdaptDHM / ADL (Li et al. 2022) from core: each row goes to one of K cluster towers by similarity of its
 * (detached) field embeddings to K momentum-updated centres (saved with the weights), and only the routed
 * tower runs (`dispatch: 'sparse'`). Ablations: `clusters` = 1, and `routing: 'domain'` (towers indexed by
 * the declared domain). A per-domain output bias gives it the per-domain calibration every model here has.
 */
export class AdaptDhmModel extends CtrModel {
  readonly kind = 'AdaptDHM';
  private readonly block: AdaptDhm;
  private readonly domainBias: tf.Variable;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.block = this.addChild('adaptdhm', new AdaptDhm({
      inputDim: this.inputDim, routeDim: this.embeddingWidth, numClusters: config.routing === 'domain' ? layout.numDomains : config.clusters,
      iterations: config.routingIterations, momentum: config.centerMomentum, sizes: [...config.hidden, this.numTasks], dispatch: config.dispatch,
      seed: deriveSeed(config.seed, 'adaptdhm'),
    }));
    this.domainBias = this.addParam('domainBias', tf.zeros([layout.numDomains, this.numTasks]));
  }

  /** Routes on the field-embedding slice of x; moves the centres in training. */
  override route(inputs: ModelInputs, training: boolean): tf.Tensor2D {
    if (this.config.routing === 'domain') return inputs.domainIds.clone();
    return tf.tidy(() => this.block.route(tf.slice(this.embed(inputs), [0, 0], [-1, this.embeddingWidth]), training));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, _ctx: ForwardContext): tf.Tensor2D {
    if (!inputs.groups) throw new Error('AdaptDHM.logits: inputs.groups is missing (call route() first: routing is decided before the forward pass)');
    return tf.add(this.block.apply(x, inputs.groups), tf.matMul(inputs.domainOneHot, this.domainBias));
  }
}

import type * as tf from '@tensorflow/tfjs-core';
import { Home, deriveSeed, type ForwardContext, type TaskTowers } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ModelConfig } from '../model-config.js';

/**
 * HoME (Wang et al. 2024) from core, with the tasks' `category` fields as its meta-categories: a meta level of
 * global and per-category experts, task experts behind the hierarchy mask, Swish(BN(Wv + b)) experts, LoRA
 * feature gates on the experts that read the input and self-gates; each part is a `home` switch for ablations.
 */
export class HomeModel extends CtrModel {
  readonly kind = 'HoME';
  private readonly block: Home;
  private readonly heads: TaskTowers;
  /** Task indices in core's order (grouped by category) → position of each layout task in that order. */
  private readonly positionOf: number[];

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    const h = config.home;
    const categories = [...new Set(layout.tasks.map((t) => t.category))];
    const order = categories.flatMap((c) => layout.tasks.flatMap((t, i) => (t.category === c ? [i] : [])));
    this.positionOf = layout.tasks.map((_, i) => order.indexOf(i));
    this.block = this.addChild('home', new Home({
      inputDim: this.inputDim,
      tasksPerCategory: categories.map((c) => layout.tasks.filter((t) => t.category === c).length),
      metaShared: h.metaShared, metaPerCategory: h.metaPerCategory, taskShared: h.taskShared, taskPerCategory: h.categoryShared, taskSpecific: h.taskSpecific,
      expertSizes: [...config.hidden], bnSwish: h.bnSwish, hierarchy: h.hierarchy, featureGateRank: h.featureGate ? h.loraRank : 0, selfGates: h.selfGate,
      taskNames: order.map((i) => layout.tasks[i].name), seed: deriveSeed(config.seed, 'home'),
    }));
    this.heads = this.addChild('heads', this.domainTaskHeads(this.block.outputDim));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const f = this.block.apply(x, { ctx });
    return this.heads.apply(this.positionOf.map((p) => f.outputs[p]), ctx, inputs.domainOneHot);
  }
}

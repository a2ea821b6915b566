import type * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { dispatchByGroup, makeGroupPlan, maskedByGroup, type GroupPlan } from '../layers/group-dispatch.js';
import { Mlp } from '../layers/mlp.js';
import type { ModelConfig } from '../model-config.js';

/**
 * Per-domain towers: a shared bottom, then one full tower per domain (hidden `tower` sizes, output one logit
 * per task). Rows are dispatched to their domain's tower only (or dense-masked when `dispatch` = 'dense').
 */
export class PerDomainTowersModel extends CtrModel {
  readonly kind = 'PerDomainTowers';
  private readonly bottom: Mlp;
  private readonly towers: Mlp[] = [];

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.bottom = this.addChild('bottom', new Mlp(this.inputDim, config.hidden, deriveSeed(config.seed, 'bottom')));
    for (let d = 0; d < layout.numDomains; d++) {
      this.towers.push(this.addChild(`tower${d}`, new Mlp(this.bottom.outputDim, [...config.tower, this.numTasks], deriveSeed(config.seed, `tower${d}`), { linearOutput: true })));
    }
  }

  override async plan(inputs: ModelInputs): Promise<GroupPlan> {
    return makeGroupPlan(inputs.domain, this.layout.numDomains);
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const h = this.bottom.apply(x, ctx);
    const plan = inputs.plan ?? makeGroupPlan(inputs.domain, this.layout.numDomains);
    const run = (d: number, rows: tf.Tensor2D) => this.towers[d].apply(rows, ctx);
    return this.config.dispatch === 'dense' ? maskedByGroup(h, plan, run) : dispatchByGroup(h, plan, run);
  }
}

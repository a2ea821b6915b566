import type * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { DomainGate, mixExperts } from '../layers/domain-gate.js';
import { recordGate } from '../layers/diagnostics.js';
import { DomainTaskHeads } from '../layers/domain-task-heads.js';
import { Mlp } from '../layers/mlp.js';
import type { ModelConfig } from '../model-config.js';

interface Level {
  shared: Mlp[];
  specific: Mlp[][]; // [task][expert]
  taskGates: DomainGate[];
  /** Gate over all experts feeding the next level's shared experts (absent at the last level). */
  sharedGate?: DomainGate;
}

/**
 * PLE / CGC (Tang et al. 2020): per level, shared experts plus task-specific experts; task t's gate mixes its
 * own and the shared experts; the shared gate (paper-faithful: over all experts of the level) feeds the next
 * level. `levels` = 1 is CGC.
 */
export class PleModel extends CtrModel {
  readonly kind = 'PLE';
  private readonly levelsList: Level[] = [];
  private readonly heads: DomainTaskHeads;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    const T = this.numTasks;
    const gateDomains = config.gate === 'domain-task' ? layout.numDomains : 1;
    let width = this.inputDim;
    let outWidth = width;
    for (let l = 0; l < config.levels; l++) {
      const s = (name: string) => deriveSeed(config.seed, `level${l}/${name}`);
      const shared = Array.from({ length: config.sharedExperts }, (_, e) => this.addChild(`l${l}shared${e}`, new Mlp(width, config.hidden, s(`shared${e}`))));
      const specific = Array.from({ length: T }, (_, t) => Array.from({ length: config.specificExperts }, (_, e) => this.addChild(`l${l}task${t}expert${e}`, new Mlp(width, config.hidden, s(`task${t}/${e}`)))));
      const taskGates = Array.from({ length: T }, (_, t) => this.addChild(`l${l}gate${t}`, new DomainGate(width, config.specificExperts + config.sharedExperts, gateDomains, s(`gate${t}`))));
      const last = l === config.levels - 1;
      const sharedGate = last ? undefined : this.addChild(`l${l}sharedGate`, new DomainGate(width, config.sharedExperts + T * config.specificExperts, gateDomains, s('sharedGate')));
      this.levelsList.push({ shared, specific, taskGates, sharedGate });
      outWidth = shared[0].outputDim;
      width = outWidth;
    }
    this.heads = this.addChild('heads', new DomainTaskHeads(outWidth, T, layout.numDomains, config.tower, deriveSeed(config.seed, 'heads')));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const T = this.numTasks;
    let taskIn: tf.Tensor2D[] = Array.from({ length: T }, () => x);
    let sharedIn = x;
    this.levelsList.forEach((level, l) => {
      const sharedOut = level.shared.map((e) => e.apply(sharedIn, ctx));
      const specificOut = level.specific.map((experts, t) => experts.map((e) => e.apply(taskIn[t], ctx)));
      const nextTask = level.taskGates.map((g, t) => {
        const w = g.apply(taskIn[t], inputs.domainOneHot);
        if (l === this.levelsList.length - 1) recordGate(ctx, this.layout.tasks[t].name, w);
        return mixExperts([...specificOut[t], ...sharedOut], w);
      });
      if (level.sharedGate) sharedIn = mixExperts([...sharedOut, ...specificOut.flat()], level.sharedGate.apply(sharedIn, inputs.domainOneHot));
      taskIn = nextTask;
    });
    return this.heads.apply(taskIn, inputs.domainOneHot, ctx);
  }
}

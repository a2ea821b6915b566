import type * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { DomainGate, mixExperts } from '../layers/domain-gate.js';
import { recordGate, recordZeroRate } from '../layers/diagnostics.js';
import { DomainTaskHeads } from '../layers/domain-task-heads.js';
import { Mlp } from '../layers/mlp.js';
import type { ModelConfig } from '../model-config.js';

/**
 * MMoE (Ma et al. 2018): n expert MLPs on x, one softmax gate per task — per (domain, task) with
 * `gate: 'domain-task'` — mixing them, then per-task towers with per-domain outputs.
 */
export class MmoeModel extends CtrModel {
  readonly kind = 'MMoE';
  private readonly experts: Mlp[] = [];
  private readonly gates: DomainGate[] = [];
  private readonly heads: DomainTaskHeads;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    for (let e = 0; e < config.numExperts; e++) this.experts.push(this.addChild(`expert${e}`, new Mlp(this.inputDim, config.hidden, deriveSeed(config.seed, `expert${e}`))));
    const gateDomains = config.gate === 'domain-task' ? layout.numDomains : 1;
    for (let t = 0; t < this.numTasks; t++) this.gates.push(this.addChild(`gate${t}`, new DomainGate(this.inputDim, config.numExperts, gateDomains, deriveSeed(config.seed, `gate${t}`))));
    this.heads = this.addChild('heads', new DomainTaskHeads(this.experts[0].outputDim, this.numTasks, layout.numDomains, config.tower, deriveSeed(config.seed, 'heads')));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const outs = this.experts.map((e) => e.apply(x, ctx));
    const mixed = this.gates.map((g, t) => {
      const w = g.apply(x, inputs.domainOneHot);
      recordGate(ctx, this.layout.tasks[t].name, w);
      return mixExperts(outs, w);
    });
    outs.forEach((o, e) => recordZeroRate(ctx, `expert${e}`, o));
    return this.heads.apply(mixed, inputs.domainOneHot, ctx);
  }
}

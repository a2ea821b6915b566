import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { recordGate, recordZeroRate } from '../layers/diagnostics.js';
import { DomainGate, mixExperts } from '../layers/domain-gate.js';
import { DomainTaskHeads } from '../layers/domain-task-heads.js';
import { HomeExpert, SelfGate } from '../layers/home-parts.js';
import type { ModelConfig } from '../model-config.js';

interface Meta {
  shared: HomeExpert[];
  perCategory: HomeExpert[][];
  categoryGates: DomainGate[];
  categorySelfGates: (SelfGate | undefined)[];
  sharedGate: DomainGate;
}

/**
 * HoME (Wang et al. 2024). Level 1 (meta, only with `hierarchy`): global-shared experts S and per-category
 * experts C_c; z_c = gate_c · [S, C_c] (+ self-gate over C_c); z_shared = gate_s · [S, all C].
 * Level 2 for task t of category c: experts {task-shared (on z_shared), category-shared (on z_c),
 * task-specific (on z_c)}, gate_t over exactly those (the hierarchy mask), plus a self-gate residual over
 * task t's own experts. Experts are BN + Swish with a LoRA feature-gate. Each part can be switched off for
 * ablations; without `hierarchy` there is no meta level and every task gate sees every expert (no mask).
 */
export class HomeModel extends CtrModel {
  readonly kind = 'HoME';
  private readonly categories: string[];
  private readonly taskCategory: number[];
  private readonly meta?: Meta;
  private readonly taskShared: HomeExpert[];
  private readonly categoryShared: HomeExpert[][];
  private readonly specific: HomeExpert[][];
  private readonly gates: DomainGate[];
  private readonly selfGates: (SelfGate | undefined)[];
  private readonly heads: DomainTaskHeads;

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    const h = config.home;
    const T = this.numTasks;
    this.categories = [...new Set(layout.tasks.map((t) => t.category))];
    this.taskCategory = layout.tasks.map((t) => this.categories.indexOf(t.category));
    const C = this.categories.length;
    const seed = (name: string) => deriveSeed(config.seed, name);
    const expert = (name: string, inputDim: number) => this.addChild(name, new HomeExpert(inputDim, config.hidden, { bnSwish: h.bnSwish, featureGate: h.featureGate, loraRank: h.loraRank }, seed(name)));
    const many = (n: number, name: string, inputDim: number) => Array.from({ length: n }, (_, e) => expert(`${name}${e}`, inputDim));
    const width = config.hidden[config.hidden.length - 1] ?? this.inputDim;
    let level2In = this.inputDim;
    if (h.hierarchy) {
      const shared = many(h.metaShared, 'metaShared', this.inputDim);
      const perCategory = this.categories.map((_, c) => many(h.metaPerCategory, `metaCategory${c}_`, this.inputDim));
      this.meta = {
        shared,
        perCategory,
        categoryGates: perCategory.map((_, c) => this.addChild(`metaGate${c}`, new DomainGate(this.inputDim, h.metaShared + h.metaPerCategory, 1, seed(`metaGate${c}`)))),
        categorySelfGates: perCategory.map((_, c) => (h.selfGate ? this.addChild(`metaSelfGate${c}`, new SelfGate(this.inputDim, h.metaPerCategory, seed(`metaSelfGate${c}`))) : undefined)),
        sharedGate: this.addChild('metaSharedGate', new DomainGate(this.inputDim, h.metaShared + C * h.metaPerCategory, 1, seed('metaSharedGate'))),
      };
      level2In = width;
    }
    this.taskShared = many(h.taskShared, 'taskShared', level2In);
    this.categoryShared = this.categories.map((_, c) => many(h.categoryShared, `categoryShared${c}_`, level2In));
    this.specific = layout.tasks.map((_, t) => many(h.taskSpecific, `task${t}_`, level2In));
    const gateSize = h.hierarchy ? h.taskShared + h.categoryShared + h.taskSpecific : h.taskShared + C * h.categoryShared + T * h.taskSpecific;
    this.gates = layout.tasks.map((_, t) => this.addChild(`gate${t}`, new DomainGate(level2In, gateSize, 1, seed(`gate${t}`))));
    this.selfGates = layout.tasks.map((_, t) => (h.selfGate ? this.addChild(`selfGate${t}`, new SelfGate(level2In, h.taskSpecific, seed(`selfGate${t}`))) : undefined));
    this.heads = this.addChild('heads', new DomainTaskHeads(width, T, layout.numDomains, config.tower, seed('heads')));
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    const one = inputs.domainOneHot;
    // Level 1: category representations z_c and the shared representation (x itself without hierarchy).
    let zCategory: tf.Tensor2D[] = this.categories.map(() => x);
    let zShared = x;
    if (this.meta) {
      const m = this.meta;
      const s = m.shared.map((e) => e.apply(x, ctx));
      const perCat = m.perCategory.map((experts) => experts.map((e) => e.apply(x, ctx)));
      zCategory = perCat.map((own, c) => {
        const mixed = mixExperts([...s, ...own], m.categoryGates[c].apply(x, one));
        const sg = m.categorySelfGates[c];
        return sg ? tf.add(mixed, mixExperts(own, sg.weights(x))) : mixed;
      });
      zShared = mixExperts([...s, ...perCat.flat()], m.sharedGate.apply(x, one));
    }
    // Level 2: task experts behind the hierarchy mask.
    const taskSharedOut = this.taskShared.map((e) => e.apply(zShared, ctx));
    const catSharedOut = this.categoryShared.map((experts, c) => experts.map((e) => e.apply(zCategory[c], ctx)));
    const specificOut = this.specific.map((experts, t) => experts.map((e) => e.apply(zCategory[this.taskCategory[t]], ctx)));
    [...taskSharedOut, ...catSharedOut.flat(), ...specificOut.flat()].forEach((o, i) => recordZeroRate(ctx, `expert${i}`, o));
    const outs = this.layout.tasks.map((task, t) => {
      const c = this.taskCategory[t];
      const gateIn = zCategory[c];
      const visible = this.meta ? [...taskSharedOut, ...catSharedOut[c], ...specificOut[t]] : [...taskSharedOut, ...catSharedOut.flat(), ...specificOut.flat()];
      const w = this.gates[t].apply(gateIn, one);
      recordGate(ctx, task.name, w);
      const mixed = mixExperts(visible, w);
      const sg = this.selfGates[t];
      return sg ? tf.add(mixed, mixExperts(specificOut[t], sg.weights(gateIn))) : mixed;
    });
    return this.heads.apply(outs as tf.Tensor2D[], one, ctx);
  }
}

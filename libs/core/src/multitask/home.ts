import * as tf from '@tensorflow/tfjs-core';
import { applyAllExperts, mixExperts } from '../experts/all-experts.js';
import { checkInt } from '../experts/check.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { LoraExperts } from '../experts/lora-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { ExpertNorm } from './expert-norm.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';
import { TaskGate } from './task-gate.js';

export interface HomeConfig {
  inputDim: number;
  /** Tasks per meta-category, e.g. [2, 3]: tasks 0–1 in category 0 (watch time), 2–4 in category 1 (interactions). */
  categoryTasks: number[];
  /** Level 1: global shared experts (default 2) and experts per category (default 1). */
  metaSharedExperts?: number;
  metaCategoryExperts?: number;
  /** Level 2: global shared (default 1), per-category shared (default 1), per-task (default 1) experts. */
  sharedExperts?: number;
  categorySharedExperts?: number;
  taskExperts?: number;
  expertHidden: number;
  outputDim: number;
  /** LoRA rank l of the per-expert feature gates 2·σ(x·B·A) on the input (0 = off). Default 4. */
  featureGateRank?: number;
  /** Self-gates over each group's own experts (residual path for sparse tasks). Default true. */
  selfGate?: boolean;
  seed?: number;
}

interface Level {
  experts: FfnExperts;
  norm: ExpertNorm;
}

/**
 * HoME (Wang et al. 2024, Kuaishou): a two-level hierarchy of gated experts. Level 1 (meta): global shared
 * experts and per-category experts; each category gate sees shared + its own experts (hierarchy mask), a
 * shared gate sees all. Level 2: global shared, category-shared and task experts; task t's gate sees
 * global + its category's + its own. Fixes for the three production anomalies: expert normalisation
 * (Swish(BN(·)), `ExpertNorm`), feature gates (per-expert privatised input, LoRA-factorised), self-gates
 * (σ for one own expert, softmax for several) added to the mixture.
 */
export class Home extends Module {
  readonly kind = 'Home';
  readonly config: Required<HomeConfig>;
  readonly numTasks: number;
  private readonly taskCategory: number[];
  private readonly level1: Level;
  private readonly level2: Level;
  private readonly featureGates: LoraExperts | undefined;
  private readonly categoryGates: TaskGate[] = [];
  private readonly categorySelfGates: TaskGate[] = [];
  private readonly sharedGate: TaskGate;
  private readonly taskGates: TaskGate[] = [];
  private readonly taskSelfGates: TaskGate[] = [];

  constructor(config: HomeConfig) {
    super();
    const owner = 'Home';
    if (!Array.isArray(config.categoryTasks) || config.categoryTasks.length === 0) throw new Error(`${owner}: categoryTasks must be a non-empty array of task counts; got ${JSON.stringify(config.categoryTasks)}`);
    config.categoryTasks.forEach((n, i) => checkInt(owner, `categoryTasks[${i}]`, n));
    this.config = { metaSharedExperts: 2, metaCategoryExperts: 1, sharedExperts: 1, categorySharedExperts: 1, taskExperts: 1, featureGateRank: 4, selfGate: true, seed: 0, ...config, categoryTasks: [...config.categoryTasks] };
    const c = this.config;
    for (const f of ['metaSharedExperts', 'metaCategoryExperts', 'sharedExperts', 'categorySharedExperts', 'taskExperts', 'featureGateRank'] as const) checkInt(owner, f, c[f], 0);
    checkInt(owner, 'metaCategoryExperts', c.metaCategoryExperts);
    checkInt(owner, 'taskExperts', c.taskExperts);
    const C = c.categoryTasks.length;
    this.taskCategory = c.categoryTasks.flatMap((n, cat) => Array<number>(n).fill(cat));
    this.numTasks = this.taskCategory.length;
    const s = (n: string) => deriveSeed(c.seed, n);
    const level = (name: string, inputDim: number, E: number): Level => ({
      experts: this.addChild(`${name}.experts`, new FfnExperts({ numExperts: E, inputDim, hiddenDim: c.expertHidden, outputDim: c.outputDim, activation: 'relu', seed: s(name) })),
      norm: this.addChild(`${name}.norm`, new ExpertNorm({ numExperts: E, channels: c.outputDim })),
    });
    // Level 1 experts: [meta shared | category 0 | category 1 | …].
    const E1 = c.metaSharedExperts + C * c.metaCategoryExperts;
    this.level1 = level('level1', c.inputDim, E1);
    // Feature gates start as the identity (LoRA's zero B → 2·σ(0) = 1).
    this.featureGates = c.featureGateRank > 0 ? this.addChild('featureGates', new LoraExperts({ numExperts: E1, inputDim: c.inputDim, rank: c.featureGateRank, seed: s('featureGates') })) : undefined;
    const metaShared = range(0, c.metaSharedExperts);
    for (let cat = 0; cat < C; cat++) {
      const own = range(c.metaSharedExperts + cat * c.metaCategoryExperts, c.metaCategoryExperts);
      this.categoryGates.push(this.addChild(`categoryGate${cat}`, new TaskGate({ inputDim: c.inputDim, numExperts: E1, visible: [...metaShared, ...own], seed: s(`categoryGate${cat}`) })));
      if (c.selfGate) this.categorySelfGates.push(this.addChild(`categorySelfGate${cat}`, new TaskGate({ inputDim: c.inputDim, numExperts: E1, visible: own, sigmoid: own.length === 1, seed: s(`categorySelfGate${cat}`) })));
    }
    this.sharedGate = this.addChild('sharedGate', new TaskGate({ inputDim: c.inputDim, numExperts: E1, seed: s('sharedGate') }));
    // Level 2 experts: [global shared | category-shared per category | task experts per task].
    const E2 = c.sharedExperts + C * c.categorySharedExperts + this.numTasks * c.taskExperts;
    this.level2 = level('level2', c.outputDim, E2);
    for (let t = 0; t < this.numTasks; t++) {
      const cat = this.taskCategory[t];
      const catShared = range(c.sharedExperts + cat * c.categorySharedExperts, c.categorySharedExperts);
      const own = range(c.sharedExperts + C * c.categorySharedExperts + t * c.taskExperts, c.taskExperts);
      this.taskGates.push(this.addChild(`taskGate${t}`, new TaskGate({ inputDim: c.outputDim, numExperts: E2, visible: [...range(0, c.sharedExperts), ...catShared, ...own], seed: s(`taskGate${t}`) })));
      if (c.selfGate) this.taskSelfGates.push(this.addChild(`taskSelfGate${t}`, new TaskGate({ inputDim: c.outputDim, numExperts: E2, visible: own, sigmoid: own.length === 1, seed: s(`taskSelfGate${t}`) })));
    }
  }

  apply(x: tf.Tensor2D, options: { training: boolean }): MultiTaskForward {
    checkFeatures('Home.apply', x, this.config.inputDim);
    const c = this.config;
    const C = c.categoryTasks.length;
    return tidyObject(() => {
      // Level 1, every expert on its (feature-gated) view of x.
      const inputs1 = this.featureGates ? tf.mul(tf.mul(2, tf.sigmoid(applyAllExperts(this.featureGates, x))), x) as tf.Tensor3D : x;
      const y1 = this.level1.norm.apply(applyAllExperts(this.level1.experts, inputs1), options.training);
      const z = Array.from({ length: C }, (_, cat) => this.gated(y1, this.categoryGates[cat].apply(x), this.categorySelfGates[cat]?.apply(x)));
      const zShared = mixExperts(y1, this.sharedGate.apply(x));
      // Level 2: global shared experts read the shared stream, category and task experts their category's.
      const perExpert = [
        ...Array<tf.Tensor2D>(c.sharedExperts).fill(zShared),
        ...z.flatMap((zc) => Array<tf.Tensor2D>(c.categorySharedExperts).fill(zc)),
        ...this.taskCategory.flatMap((cat) => Array<tf.Tensor2D>(c.taskExperts).fill(z[cat])),
      ];
      const y2 = this.level2.norm.apply(applyAllExperts(this.level2.experts, perExpert), options.training);
      const weights = this.taskGates.map((g, t) => g.apply(z[this.taskCategory[t]]));
      const outputs = weights.map((w, t) => this.gated(y2, w, this.taskSelfGates[t]?.apply(z[this.taskCategory[t]])));
      return { outputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage: tf.stack(weights.map((w) => tf.mean(w, 0))) as tf.Tensor2D };
    });
  }

  /** Gate mixture plus, when present, the self-gate's residual over the group's own experts. */
  private gated(y: tf.Tensor3D, weights: tf.Tensor2D, self: tf.Tensor2D | undefined): tf.Tensor2D {
    return self ? (tf.add(mixExperts(y, weights), mixExperts(y, self)) as tf.Tensor2D) : mixExperts(y, weights);
  }

  getConfig(): ModuleConfig {
    return { ...this.config, categoryTasks: [...this.config.categoryTasks] };
  }
}

function range(start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

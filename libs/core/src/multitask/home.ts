import * as tf from '@tensorflow/tfjs-core';
import { mixExperts } from '../experts/all-experts.js';
import { checkInt } from '../experts/check.js';
import { tidyObject } from '../experts/tidy-object.js';
import { recordGate, recordZeroRate, type ForwardContext } from '../mlp/forward-context.js';
import { MlpExperts } from '../mlp/mlp-experts.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { FeatureGate } from '../routers/feature-gate.js';
import { checkBoolean, checkIntArray } from '../routers/validate.js';
import { contextOf, taskNamesOf, type MultiTaskApplyOptions } from './expert-options.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';
import { range } from './spread-columns.js';
import { TaskGate } from './task-gate.js';

/** Configuration of {@link Home}. */
export interface HomeConfig {
  inputDim: number;
  /** Tasks per meta-category, e.g. [2, 3]: tasks 0–1 in category 0 (watch time), 2–4 in category 1 (interactions). */
  tasksPerCategory: number[];
  /** Level 1: global shared experts (default 4) and experts per category (default 2). */
  metaShared?: number;
  metaPerCategory?: number;
  /** Level 2: global shared (default 2), per-category shared (default 2), per-task (default 1) experts. */
  taskShared?: number;
  taskPerCategory?: number;
  taskSpecific?: number;
  /** Layer widths of every expert MLP (default [expertHidden, outputDim]). */
  expertSizes?: number[];
  expertHidden?: number;
  outputDim?: number;
  /** Expert form E(v) = Swish(BN(Wv + b)) on every layer (default true); false = the ReLU MLP experts of MMoE. */
  bnSwish?: boolean;
  /**
   * The two-level hierarchy with its mask (default true). false = one level of experts on v, every task gate
   * sees every expert (the ablation "− hierarchy mask").
   */
  hierarchy?: boolean;
  /** Rank l of each feature gate v ⊙ 2σ(v·B·A) on the experts that read v (0 = off). Default 4. */
  featureGateRank?: number;
  /** Self-gates over each group's own experts, added to its mixture (residual path for sparse tasks). Default true. */
  selfGates?: boolean;
  gateHidden?: number[];
  /** Per-side-input task and meta gates (e.g. per domain); default 1. */
  gateConditions?: number;
  /** Names of the tasks in diagnostics keys; default task0, task1, … */
  taskNames?: string[];
  seed?: number;
}

type Resolved = Required<Omit<HomeConfig, 'expertHidden' | 'outputDim' | 'taskNames'>>;

/** One level: its experts and (for the experts that read v) their feature gates. */
interface Level {
  experts: MlpExperts;
  featureGates: FeatureGate[];
}

/**
 * HoME (Wang et al. 2024, Kuaishou). Level 1 (meta): global shared experts S and per-category experts C_c on
 * v; z_c = gate_c(v)·[S, C_c] (+ self-gate over C_c); z_shared = gate_s(v)·[S, all C]. Level 2 for task t of
 * category c: task-shared experts (on z_shared), category-shared and task-specific experts (on z_c); gate_t(z_c)
 * sees exactly those (the hierarchy mask), plus a self-gate residual over task t's own experts. The paper's
 * three fixes are each a switch: expert form Swish(BN(Wv + b)) (`bnSwish`), the hierarchy mask (`hierarchy`),
 * feature gates on the experts that read v (`featureGateRank`) and self-gates (`selfGates`). Without the
 * hierarchy there is one level on v and every task gate sees every expert.
 * Expert order of level 2: [task-shared | category 0's shared, 1's, … | task 0's own, 1's, …].
 */
export class Home extends Module {
  readonly kind = 'Home';
  readonly config: Resolved;
  readonly outputDim: number;
  private readonly taskCategory: number[];
  private readonly taskNames: string[];
  private readonly level1?: Level;
  private readonly level2: Level;
  private readonly metaGates: TaskGate[] = [];
  private readonly metaSelfGates: TaskGate[] = [];
  private readonly metaSharedGate?: TaskGate;
  private readonly taskGates: TaskGate[] = [];
  private readonly taskSelfGates: TaskGate[] = [];

  constructor(config: HomeConfig) {
    super();
    const owner = 'Home';
    const sizes = config.expertSizes ?? [config.expertHidden as number, config.outputDim as number];
    checkIntArray(owner, config.expertSizes ? 'expertSizes' : 'expertHidden / outputDim', sizes);
    if (sizes.length === 0) throw new Error(`${owner}: expertSizes must list at least one layer; got []`);
    const { expertHidden: _h, outputDim: _o, taskNames: _n, ...rest } = config;
    this.config = { metaShared: 4, metaPerCategory: 2, taskShared: 2, taskPerCategory: 2, taskSpecific: 1, bnSwish: true, hierarchy: true, featureGateRank: 4, selfGates: true, gateHidden: [], gateConditions: 1, seed: 0, ...rest, expertSizes: [...sizes] };
    const c = this.config;
    checkIntArray(owner, 'tasksPerCategory', c.tasksPerCategory);
    if (c.tasksPerCategory.length === 0) throw new Error(`${owner}: tasksPerCategory must list at least one category; got []`);
    for (const f of ['metaShared', 'taskShared', 'taskPerCategory'] as const) checkInt(owner, f, c[f], 0);
    for (const f of ['metaPerCategory', 'taskSpecific', 'gateConditions'] as const) checkInt(owner, f, c[f]);
    checkInt(owner, 'featureGateRank', c.featureGateRank, 0);
    for (const f of ['bnSwish', 'hierarchy', 'selfGates'] as const) checkBoolean(owner, f, c[f]);
    this.taskCategory = c.tasksPerCategory.flatMap((n, cat) => Array<number>(n).fill(cat));
    this.taskNames = taskNamesOf(owner, config, this.taskCategory.length);
    this.outputDim = sizes[sizes.length - 1];
    const s = (n: string) => deriveSeed(c.seed, n);
    const G = c.tasksPerCategory.length;
    const T = this.taskCategory.length;
    const gate = (name: string, inputDim: number, numExperts: number, visible: number[], form: 'softmax' | 'self' = 'softmax', conditions = c.gateConditions) =>
      this.addChild(name, new TaskGate({ inputDim, numExperts, visible, form, conditions, hidden: c.gateHidden, seed: s(name) }));
    const level = (name: string, inputDim: number, E: number, readsV: boolean): Level => ({
      experts: this.addChild(`${name}.experts`, new MlpExperts({ numExperts: E, inputDim, sizes, activation: c.bnSwish ? 'swish' : 'relu', batchNorm: c.bnSwish, seed: s(name) })),
      featureGates: readsV && c.featureGateRank > 0 ? range(0, E).map((e) => this.addChild(`${name}.featureGate${e}`, new FeatureGate({ inputDim, rank: c.featureGateRank, seed: s(`${name}.featureGate${e}`) }))) : [],
    });
    let level2Input = c.inputDim;
    if (c.hierarchy) {
      const E1 = c.metaShared + G * c.metaPerCategory;
      this.level1 = level('level1', c.inputDim, E1, true);
      for (let cat = 0; cat < G; cat++) {
        const own = this.metaOwn(cat);
        this.metaGates.push(gate(`metaGate${cat}`, c.inputDim, E1, [...range(0, c.metaShared), ...own]));
        if (c.selfGates) this.metaSelfGates.push(gate(`metaSelfGate${cat}`, c.inputDim, E1, own, 'self', 1));
      }
      this.metaSharedGate = gate('metaSharedGate', c.inputDim, E1, range(0, E1));
      level2Input = this.outputDim;
    }
    const E2 = c.taskShared + G * c.taskPerCategory + T * c.taskSpecific;
    this.level2 = level('level2', level2Input, E2, !c.hierarchy);
    for (let t = 0; t < T; t++) {
      this.taskGates.push(gate(`taskGate${t}`, level2Input, E2, c.hierarchy ? this.taskVisible(t) : range(0, E2)));
      if (c.selfGates) this.taskSelfGates.push(gate(`taskSelfGate${t}`, level2Input, E2, this.taskOwn(t), 'self', 1));
    }
  }

  get numTasks(): number {
    return this.taskCategory.length;
  }

  /** Level-2 experts task t's gate may weight under the hierarchy mask: global shared, its category's shared, its own. */
  taskVisible(t: number): number[] {
    const c = this.config;
    return [...range(0, c.taskShared), ...range(c.taskShared + this.taskCategory[t] * c.taskPerCategory, c.taskPerCategory), ...this.taskOwn(t)];
  }

  private taskOwn(t: number): number[] {
    const c = this.config;
    return range(c.taskShared + c.tasksPerCategory.length * c.taskPerCategory + t * c.taskSpecific, c.taskSpecific);
  }

  private metaOwn(cat: number): number[] {
    const c = this.config;
    return range(c.metaShared + cat * c.metaPerCategory, c.metaPerCategory);
  }

  apply(x: tf.Tensor2D, options: MultiTaskApplyOptions = {}): MultiTaskForward {
    checkFeatures('Home.apply', x, this.config.inputDim);
    const ctx = contextOf(options);
    const c = this.config;
    const cond = options.condition;
    return tidyObject(() => {
      // Level 1: every meta expert on its own (feature-gated) view of v, in one grouped pass.
      let zCategory: tf.Tensor2D[] = c.tasksPerCategory.map(() => x);
      let zShared = x;
      if (this.level1 && this.metaSharedGate) {
        const y1 = this.runLevel(this.level1, x, ctx);
        zCategory = this.metaGates.map((g, cat) => {
          const mixed = mixExperts(y1, g.apply(x, cond));
          return c.selfGates ? (tf.add(mixed, mixExperts(y1, this.metaSelfGates[cat].apply(x))) as tf.Tensor2D) : mixed;
        });
        zShared = mixExperts(y1, this.metaSharedGate.apply(x, cond));
      }
      // Level 2: global experts read the shared stream, category-shared and task experts their category's.
      const G = c.tasksPerCategory.length;
      const inputs2 = this.level1
        ? [...Array<tf.Tensor2D>(c.taskShared).fill(zShared), ...range(0, G).flatMap((cat) => Array<tf.Tensor2D>(c.taskPerCategory).fill(zCategory[cat])), ...this.taskCategory.flatMap((cat) => Array<tf.Tensor2D>(c.taskSpecific).fill(zCategory[cat]))]
        : x;
      const y2 = this.runLevel(this.level2, inputs2, ctx);
      recordZeroRate(ctx, 'level2', y2);
      const weights: tf.Tensor2D[] = [];
      const outputs = this.taskCategory.map((cat, t) => {
        const input = zCategory[cat];
        const w = this.taskGates[t].apply(input, cond);
        recordGate(ctx, this.taskNames[t], w);
        weights.push(w);
        const mixed = mixExperts(y2, w);
        return c.selfGates ? (tf.add(mixed, mixExperts(y2, this.taskSelfGates[t].apply(input))) as tf.Tensor2D) : mixed;
      });
      return { outputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage: tf.stack(weights.map((w) => tf.mean(w, 0))) as tf.Tensor2D };
    });
  }

  /** A level's experts on their inputs ([T, d] shared, or one per expert), feature-gated when the level reads v. */
  private runLevel(level: Level, inputs: tf.Tensor2D | tf.Tensor2D[], ctx: ForwardContext): tf.Tensor3D {
    const gated = level.featureGates.length ? level.featureGates.map((g) => g.apply(inputs as tf.Tensor2D)) : inputs;
    return level.experts.applyAll(gated, ctx);
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify({ ...this.config, taskNames: this.taskNames })) as ModuleConfig;
  }
}

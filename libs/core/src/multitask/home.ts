import * as tf from '@tensorflow/tfjs-core';
import { applyAllExperts, mixExperts } from '../experts/all-experts.js';
import { checkInt } from '../experts/check.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { FeatureGate } from '../routers/feature-gate.js';
import { HierarchicalGates } from '../routers/hierarchical-gates.js';
import { disposeRouting, type DenseRouting } from '../routers/router.js';
import { ExpertNorm } from './expert-norm.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';
import { range, spreadColumns } from './spread-columns.js';

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
  expertHidden: number;
  outputDim: number;
  /** Rank l of each level-1 expert's feature gate v ⊙ 2σ(v·B·A) (0 = off). Default 4. */
  featureGateRank?: number;
  /** Add self-gates over each group's own experts (residual path for sparse tasks). Default true. */
  selfGates?: boolean;
  gateHidden?: number[];
  seed?: number;
}

interface Level {
  experts: FfnExperts;
  norm: ExpertNorm;
}

/**
 * HoME (Wang et al. 2024, Kuaishou): a two-level hierarchy of gated experts. Level 1 (meta): global shared
 * experts, then each category's experts; level 2: global shared, then each category's shared, then each
 * task's experts — the order `HierarchicalGates` (the gates, with the hierarchy mask) scores them in. The
 * three production fixes: expert normalisation Swish(BN(·)) (`ExpertNorm`), per-expert feature gates
 * (`FeatureGate`, level 1), and self-gates whose residual over a group's own experts is added to its mixture.
 * Global level-2 experts read the meta shared gate's output, category and task experts their category's.
 */
export class Home extends Module {
  readonly kind = 'Home';
  readonly config: Required<HomeConfig>;
  readonly gates: HierarchicalGates;
  private readonly level1: Level;
  private readonly level2: Level;
  private readonly featureGates: FeatureGate[] = [];

  constructor(config: HomeConfig) {
    super();
    const owner = 'Home';
    this.config = { metaShared: 4, metaPerCategory: 2, taskShared: 2, taskPerCategory: 2, taskSpecific: 1, featureGateRank: 4, selfGates: true, gateHidden: [], seed: 0, ...config };
    const c = this.config;
    checkInt(owner, 'featureGateRank', c.featureGateRank, 0);
    const s = (n: string) => deriveSeed(c.seed, n);
    // The gates validate the hierarchy fields (tasksPerCategory, expert counts) and name them on error.
    this.gates = this.addChild('gates', new HierarchicalGates({ inputDim: c.inputDim, taskInputDim: c.outputDim, tasksPerCategory: c.tasksPerCategory, metaShared: c.metaShared, metaPerCategory: c.metaPerCategory, taskShared: c.taskShared, taskPerCategory: c.taskPerCategory, taskSpecific: c.taskSpecific, gateHidden: c.gateHidden, seed: s('gates') }));
    const level = (name: string, inputDim: number, E: number): Level => ({
      experts: this.addChild(`${name}.experts`, new FfnExperts({ numExperts: E, inputDim, hiddenDim: c.expertHidden, outputDim: c.outputDim, activation: 'relu', seed: s(name) })),
      norm: this.addChild(`${name}.norm`, new ExpertNorm({ numExperts: E, channels: c.outputDim })),
    });
    const G = this.gates.numCategories;
    this.level1 = level('level1', c.inputDim, c.metaShared + G * c.metaPerCategory);
    this.level2 = level('level2', c.outputDim, c.taskShared + G * c.taskPerCategory + this.gates.numTasks * c.taskSpecific);
    if (c.featureGateRank > 0) {
      for (let e = 0; e < this.level1.experts.numExperts; e++) this.featureGates.push(this.addChild(`featureGate${e}`, new FeatureGate({ inputDim: c.inputDim, rank: c.featureGateRank, seed: s(`featureGate${e}`) })));
    }
  }

  get numTasks(): number {
    return this.gates.numTasks;
  }

  apply(x: tf.Tensor2D, options: { training: boolean }): MultiTaskForward {
    checkFeatures('Home.apply', x, this.config.inputDim);
    const c = this.config;
    const G = this.gates.numCategories;
    const E1 = this.level1.experts.numExperts;
    const E2 = this.level2.experts.numExperts;
    const routings: DenseRouting[] = [];
    const route = (r: DenseRouting) => (routings.push(r), r.weights);
    try {
      return tidyObject(() => {
        // Level 1: every meta expert on its own (feature-gated) view of x, in one grouped pass.
        const inputs1 = this.featureGates.length ? this.featureGates.map((g) => g.apply(x)) : x;
        const y1 = this.level1.norm.apply(applyAllExperts(this.level1.experts, inputs1), options.training);
        const meta = this.gates.routeMeta(x, { training: options.training });
        const metaShared = range(0, c.metaShared);
        const z = range(0, G).map((cat) => {
          const own = range(c.metaShared + cat * c.metaPerCategory, c.metaPerCategory);
          const mixed = mixExperts(y1, spreadColumns(route(meta.categories[cat]), [...metaShared, ...own], E1));
          return c.selfGates ? (tf.add(mixed, mixExperts(y1, spreadColumns(this.gates.selfGate('meta', cat, x), own, E1))) as tf.Tensor2D) : mixed;
        });
        const zShared = mixExperts(y1, route(meta.shared));
        // Level 2: global experts read the shared stream, category-shared and task experts their category's.
        const taskCategory = range(0, this.numTasks).map((t) => this.gates.categoryOf(t));
        const y2 = this.level2.norm.apply(applyAllExperts(this.level2.experts, [
          ...Array<tf.Tensor2D>(c.taskShared).fill(zShared),
          ...z.flatMap((zc) => Array<tf.Tensor2D>(c.taskPerCategory).fill(zc)),
          ...taskCategory.flatMap((cat) => Array<tf.Tensor2D>(c.taskSpecific).fill(z[cat])),
        ]), options.training);
        const weights: tf.Tensor2D[] = [];
        const outputs = taskCategory.map((cat, t) => {
          const input = z[cat];
          const own = range(c.taskShared + G * c.taskPerCategory + t * c.taskSpecific, c.taskSpecific);
          const visible = [...range(0, c.taskShared), ...range(c.taskShared + cat * c.taskPerCategory, c.taskPerCategory), ...own];
          const w = spreadColumns(route(this.gates.routeTask(t, input, { training: options.training })), visible, E2);
          weights.push(w);
          const mixed = mixExperts(y2, w);
          return c.selfGates ? (tf.add(mixed, mixExperts(y2, spreadColumns(this.gates.selfGate('task', t, input), own, E2))) as tf.Tensor2D) : mixed;
        });
        return { outputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage: tf.stack(weights.map((w) => tf.mean(w, 0))) as tf.Tensor2D };
      });
    } finally {
      routings.forEach(disposeRouting);
    }
  }

  getConfig(): ModuleConfig {
    return { ...this.config, tasksPerCategory: [...this.config.tasksPerCategory], gateHidden: [...this.config.gateHidden] };
  }
}

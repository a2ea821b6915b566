import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import type { DenseRouting, RouteOptions } from './router.js';
import { SoftmaxRouter } from './softmax-router.js';
import { GateNetwork } from './gate-network.js';
import { checkInt, checkIntArray, checkKnownKeys, checkOneOf, checkTokens } from './validate.js';

/** Configuration of {@link HierarchicalGates}: the expert counts of both HoME levels. */
export interface HierarchicalGatesConfig {
  /** Width of the level-1 (meta) gate input: the feature vector v. */
  inputDim: number;
  /** Width of the level-2 (task) gate input, e.g. the category representation z_c (default inputDim). */
  taskInputDim?: number;
  /** Tasks in each meta category, e.g. [2, 3] (Kuaishou: passive watch-time tasks, active interaction tasks). */
  tasksPerCategory: number[];
  /** Level 1: global shared experts (re-implementation: 4). */
  metaShared?: number;
  /** Level 1: experts of each category (2). */
  metaPerCategory?: number;
  /** Level 2: global shared experts (2). */
  taskShared?: number;
  /** Level 2: experts shared inside a category (2). */
  taskPerCategory?: number;
  /** Level 2: experts of each task (1). */
  taskSpecific?: number;
  gateHidden?: number[];
  seed?: number;
}

const FIELDS = ['kind', 'inputDim', 'taskInputDim', 'tasksPerCategory', 'metaShared', 'metaPerCategory', 'taskShared', 'taskPerCategory', 'taskSpecific', 'gateHidden', 'seed'] as const;

/**
 * The gates of a HoME block (Wang et al. 2024, "Hierarchy of Multi-Gate Experts"), with the hierarchy mask
 * built in: each gate only scores the experts it may use, in this order —
 * - meta gate of category c: [metaShared global experts, metaPerCategory experts of c];
 * - meta shared gate: [metaShared global, then the experts of category 0, 1, …];
 * - task gate of task t in category c: [taskShared global, taskPerCategory of c, taskSpecific of t];
 * - self gates (residual over a group's own experts): sigmoid when the group has one expert, else softmax.
 * Tasks are numbered across categories in order (category 0's tasks first). The experts, their
 * normalisation and the feature gates (`FeatureGate`) belong to the block that uses these gates.
 */
export class HierarchicalGates extends Module {
  readonly kind = 'HierarchicalGates';
  readonly inputDim: number;
  readonly taskInputDim: number;
  readonly tasksPerCategory: number[];
  readonly metaShared: number;
  readonly metaPerCategory: number;
  readonly taskShared: number;
  readonly taskPerCategory: number;
  readonly taskSpecific: number;
  readonly gateHidden: number[];
  readonly seed: number;
  private readonly metaSharedGate: SoftmaxRouter;
  private readonly metaGates: SoftmaxRouter[] = [];
  private readonly taskGates: SoftmaxRouter[] = [];
  private readonly metaSelfGates: GateNetwork[] = [];
  private readonly taskSelfGates: GateNetwork[] = [];
  private readonly taskCategory: number[] = [];

  constructor(config: HierarchicalGatesConfig) {
    super();
    const owner = 'HierarchicalGates';
    if (config == null || typeof config !== 'object') throw new Error(`${owner}: config must be an object; got ${String(config)}`);
    checkKnownKeys(owner, config, FIELDS);
    checkInt(owner, 'inputDim', config.inputDim);
    this.inputDim = config.inputDim;
    this.taskInputDim = config.taskInputDim ?? config.inputDim;
    checkInt(owner, 'taskInputDim', this.taskInputDim);
    checkIntArray(owner, 'tasksPerCategory', config.tasksPerCategory);
    if (config.tasksPerCategory.length === 0) throw new Error(`${owner}: tasksPerCategory must list at least one category; got []`);
    this.tasksPerCategory = [...config.tasksPerCategory];
    this.metaShared = config.metaShared ?? 4;
    this.metaPerCategory = config.metaPerCategory ?? 2;
    this.taskShared = config.taskShared ?? 2;
    this.taskPerCategory = config.taskPerCategory ?? 2;
    this.taskSpecific = config.taskSpecific ?? 1;
    for (const f of ['metaShared', 'metaPerCategory', 'taskShared', 'taskPerCategory', 'taskSpecific'] as const) checkInt(owner, f, this[f], 0);
    if (this.metaPerCategory < 1 || this.taskSpecific < 1) throw new Error(`${owner}: metaPerCategory and taskSpecific must be ≥ 1 (every group needs its own experts); got ${this.metaPerCategory}, ${this.taskSpecific}`);
    this.gateHidden = config.gateHidden ?? [];
    checkIntArray(owner, 'gateHidden', this.gateHidden);
    this.seed = config.seed ?? 0;
    checkInt(owner, 'seed', this.seed, 0);

    const G = this.tasksPerCategory.length;
    const softmax = (name: string, inputDim: number, numExperts: number) =>
      this.addChild(name, new SoftmaxRouter({ inputDim, numExperts, gateHidden: this.gateHidden, seed: deriveSeed(this.seed, name) }));
    const selfGate = (name: string, inputDim: number, outputDim: number) =>
      this.addChild(name, new GateNetwork({ inputDim, outputDim, hidden: this.gateHidden, seed: deriveSeed(this.seed, name) }));
    this.metaSharedGate = softmax('meta.shared', this.inputDim, this.metaShared + G * this.metaPerCategory);
    this.tasksPerCategory.forEach((n, c) => {
      this.metaGates.push(softmax(`meta.c${c}`, this.inputDim, this.metaShared + this.metaPerCategory));
      this.metaSelfGates.push(selfGate(`self.meta.c${c}`, this.inputDim, this.metaPerCategory));
      for (let j = 0; j < n; j++) this.taskCategory.push(c);
    });
    this.taskCategory.forEach((_, t) => {
      this.taskGates.push(softmax(`task.t${t}`, this.taskInputDim, this.taskShared + this.taskPerCategory + this.taskSpecific));
      this.taskSelfGates.push(selfGate(`self.task.t${t}`, this.taskInputDim, this.taskSpecific));
    });
  }

  get numCategories(): number {
    return this.tasksPerCategory.length;
  }

  get numTasks(): number {
    return this.taskCategory.length;
  }

  /** Category of a task (tasks are numbered across categories in order). */
  categoryOf(task: number): number {
    checkInt(this.kind, 'task', task, 0, this.numTasks - 1);
    return this.taskCategory[task];
  }

  /** Level-1 gates for features v [T, inputDim]: the shared meta gate and one gate per category. */
  routeMeta(v: tf.Tensor2D, options: RouteOptions): { shared: DenseRouting; categories: DenseRouting[] } {
    checkTokens(this.kind, 'v', v, this.inputDim);
    return { shared: this.metaSharedGate.route(v, options), categories: this.metaGates.map((g) => g.route(v, options)) };
  }

  /** Level-2 gate of `task` for its input [T, taskInputDim] (the task's category representation). */
  routeTask(task: number, input: tf.Tensor2D, options: RouteOptions): DenseRouting {
    checkInt(this.kind, 'task', task, 0, this.numTasks - 1);
    checkTokens(this.kind, 'input', input, this.taskInputDim);
    return this.taskGates[task].route(input, options);
  }

  /** Self-gate weights over a category's (level 'meta') or a task's (level 'task') own experts. */
  selfGate(level: 'meta' | 'task', index: number, input: tf.Tensor2D): tf.Tensor2D {
    checkOneOf(this.kind, 'level', level, ['meta', 'task'] as const);
    const gates = level === 'meta' ? this.metaSelfGates : this.taskSelfGates;
    checkInt(this.kind, 'index', index, 0, gates.length - 1);
    const gate = gates[index];
    checkTokens(this.kind, 'input', input, gate.inputDim);
    return tf.tidy(() => {
      const logits = gate.apply(input);
      return gate.outputDim === 1 ? tf.sigmoid(logits) : tf.softmax(logits);
    });
  }

  getConfig(): ModuleConfig {
    return {
      kind: this.kind,
      inputDim: this.inputDim,
      taskInputDim: this.taskInputDim,
      tasksPerCategory: [...this.tasksPerCategory],
      metaShared: this.metaShared,
      metaPerCategory: this.metaPerCategory,
      taskShared: this.taskShared,
      taskPerCategory: this.taskPerCategory,
      taskSpecific: this.taskSpecific,
      gateHidden: [...this.gateHidden],
      seed: this.seed,
    };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { checkInt } from '../experts/check.js';
import { mlpOutputDim } from '../mlp/mlp-layers.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { CgcLevel } from './cgc-level.js';
import { contextOf, expertLayersOf, gateFieldsOf, taskNamesOf, type ExpertGateOptions, type MultiTaskApplyOptions } from './expert-options.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';

/** Configuration of {@link Ple}. */
export interface PleConfig extends ExpertGateOptions {
  inputDim: number;
  numTasks: number;
  /** Extraction levels (1 = CGC). Default 2. */
  levels?: number;
  /** Shared experts per level. */
  sharedExperts: number;
  /** Task-specific experts per task per level. */
  taskExperts: number;
  seed?: number;
}

/**
 * PLE (Tang et al. 2020): CGC levels stacked; level j's task k gate output feeds task k's experts at level
 * j+1 and the shared gate (all experts of the level) feeds the next shared experts; the last level has no
 * shared gate. `Cgc` is the single-level case.
 */
export class Ple extends Module {
  readonly kind: string = 'Ple';
  readonly config: PleConfig & { levels: number; seed: number };
  readonly levels: CgcLevel[] = [];
  readonly outputDim: number;
  private readonly taskNames: string[];

  constructor(config: PleConfig, owner = 'Ple') {
    super();
    checkInt(owner, 'numTasks', config.numTasks);
    checkInt(owner, 'levels', config.levels ?? 2);
    checkInt(owner, 'sharedExperts', config.sharedExperts, 0);
    checkInt(owner, 'taskExperts', config.taskExperts, 0);
    if (config.sharedExperts + config.taskExperts === 0) throw new Error(`${owner}: sharedExperts + taskExperts must be ≥ 1; got 0`);
    this.config = { levels: 2, seed: 0, ...config };
    const c = this.config;
    const expertLayers = expertLayersOf(owner, c);
    this.taskNames = taskNamesOf(owner, c, c.numTasks);
    this.outputDim = mlpOutputDim(c.inputDim, expertLayers);
    for (let j = 0; j < c.levels; j++) {
      this.levels.push(this.addChild(`level${j}`, new CgcLevel({
        inputDim: j === 0 ? c.inputDim : this.outputDim, numTasks: c.numTasks, sharedExperts: c.sharedExperts, taskExperts: c.taskExperts,
        expertLayers, gate: gateFieldsOf(c), sharedGate: j + 1 < c.levels && c.sharedExperts > 0, seed: deriveSeed(c.seed, `level${j}`),
      })));
    }
  }

  apply(x: tf.Tensor2D, options: MultiTaskApplyOptions = {}): MultiTaskForward {
    checkFeatures(`${this.kind}.apply`, x, this.config.inputDim);
    const ctx = contextOf(options);
    let taskInputs: tf.Tensor2D[] = Array<tf.Tensor2D>(this.config.numTasks).fill(x);
    let shared: tf.Tensor2D = x;
    const owned: tf.Tensor[] = [];
    try {
      for (const [j, level] of this.levels.entries()) {
        const last = j + 1 === this.levels.length;
        const out = level.apply(taskInputs, shared, ctx, options.condition, last ? this.taskNames : undefined);
        if (last) {
          return { outputs: out.taskOutputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage: out.gateUsage };
        }
        owned.push(...out.taskOutputs, out.gateUsage);
        // Without shared experts there is no shared stream; the next level then has none to read.
        shared = out.sharedOutput ?? out.taskOutputs[0];
        if (out.sharedOutput) owned.push(out.sharedOutput);
        taskInputs = out.taskOutputs;
      }
      throw new Error(`${this.kind}: no levels`);
    } finally {
      tf.dispose(owned);
    }
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModuleConfig;
  }
}

/** CGC (Customized Gate Control): one PLE level, task gates only. */
export class Cgc extends Ple {
  override readonly kind: string = 'Cgc';
  constructor(config: Omit<PleConfig, 'levels'>) {
    super({ ...config, levels: 1 }, 'Cgc');
  }

  override getConfig(): ModuleConfig {
    const { levels: _levels, ...rest } = super.getConfig();
    return rest;
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { ExpertActivation } from '../experts/activation.js';
import { checkInt } from '../experts/check.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { CgcLevel } from './cgc-level.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';

/** Configuration of {@link Ple}. */
export interface PleConfig {
  inputDim: number;
  numTasks: number;
  /** Extraction levels (1 = CGC). Default 2. */
  levels?: number;
  /** Shared experts per level. */
  sharedExperts: number;
  /** Task-specific experts per task per level. */
  taskExperts: number;
  expertHidden: number;
  /** Output width of every level's experts (later levels read it). */
  outputDim: number;
  activation?: ExpertActivation;
  gateHidden?: number[];
  seed?: number;
}

/**
 * PLE (Tang et al. 2020): CGC levels stacked; level j's task k gate output feeds task k's experts at level
 * j+1 and the shared gate (all experts of the level) feeds the next shared experts; the last level has no
 * shared gate. `Cgc` is the single-level case.
 */
export class Ple extends Module {
  readonly kind: string = 'Ple';
  readonly config: Required<PleConfig>;
  readonly levels: CgcLevel[] = [];

  constructor(config: PleConfig, owner = 'Ple') {
    super();
    checkInt(owner, 'numTasks', config.numTasks);
    checkInt(owner, 'levels', config.levels ?? 2);
    checkInt(owner, 'sharedExperts', config.sharedExperts, 0);
    checkInt(owner, 'taskExperts', config.taskExperts, 0);
    if (config.sharedExperts + config.taskExperts === 0) throw new Error(`${owner}: sharedExperts + taskExperts must be ≥ 1; got 0`);
    this.config = { levels: 2, activation: 'relu', gateHidden: [], seed: 0, ...config };
    const c = this.config;
    for (let j = 0; j < c.levels; j++) {
      this.levels.push(this.addChild(`level${j}`, new CgcLevel({
        inputDim: j === 0 ? c.inputDim : c.outputDim, numTasks: c.numTasks, sharedExperts: c.sharedExperts, taskExperts: c.taskExperts,
        expertHidden: c.expertHidden, outputDim: c.outputDim, activation: c.activation, gateHidden: c.gateHidden,
        sharedGate: j + 1 < c.levels && c.sharedExperts > 0, seed: deriveSeed(c.seed, `level${j}`),
      })));
    }
  }

  apply(x: tf.Tensor2D): MultiTaskForward {
    checkFeatures(`${this.kind}.apply`, x, this.config.inputDim);
    let taskInputs: tf.Tensor2D[] = Array<tf.Tensor2D>(this.config.numTasks).fill(x);
    let shared: tf.Tensor2D = x;
    const owned: tf.Tensor[] = [];
    try {
      for (const [j, level] of this.levels.entries()) {
        const out = level.apply(taskInputs, shared);
        if (j + 1 === this.levels.length) {
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
    return { ...this.config, gateHidden: [...this.config.gateHidden] };
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

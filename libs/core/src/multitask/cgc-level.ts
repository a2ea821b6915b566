import * as tf from '@tensorflow/tfjs-core';
import { mixExperts } from '../experts/all-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { recordGate, type ForwardContext } from '../mlp/forward-context.js';
import type { MlpLayers } from '../mlp/mlp-layers.js';
import { MlpExperts } from '../mlp/mlp-experts.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { range } from './spread-columns.js';
import { TaskGate, type TaskGateConfig } from './task-gate.js';

/** Configuration of {@link CgcLevel}. */
export interface CgcLevelConfig {
  inputDim: number;
  numTasks: number;
  sharedExperts: number;
  taskExperts: number;
  expertLayers: Required<MlpLayers>;
  gate: Pick<TaskGateConfig, 'conditions' | 'hidden' | 'bias' | 'initScale'>;
  /** Add the shared gate (over ALL experts of the level, paper-faithful) that feeds the next PLE level. */
  sharedGate: boolean;
  seed: number;
}

/** What one {@link CgcLevel} returns. */
export interface CgcLevelOutput {
  taskOutputs: tf.Tensor2D[];
  sharedOutput?: tf.Tensor2D;
  /** [numTasks, E] mean gate weights. */
  gateUsage: tf.Tensor2D;
}

/**
 * One extraction level of CGC / PLE (Tang et al. 2020). Experts: shared ones first, then each task's own;
 * task k's gate sees shared + task k's experts, the optional shared gate sees all of them. All experts run
 * in one grouped pass; shared experts read the shared stream and task k's experts read task k's stream.
 */
export class CgcLevel extends Module {
  readonly kind = 'CgcLevel';
  readonly config: CgcLevelConfig;
  readonly experts: MlpExperts;
  private readonly taskGates: TaskGate[] = [];
  private readonly sharedGate: TaskGate | undefined;

  constructor(config: CgcLevelConfig) {
    super();
    this.config = config;
    const c = config;
    const E = c.sharedExperts + c.numTasks * c.taskExperts;
    this.experts = this.addChild('experts', new MlpExperts({ numExperts: E, inputDim: c.inputDim, ...c.expertLayers, seed: deriveSeed(c.seed, 'experts') }));
    const shared = range(0, c.sharedExperts);
    for (let k = 0; k < c.numTasks; k++) {
      const own = range(c.sharedExperts + k * c.taskExperts, c.taskExperts);
      this.taskGates.push(this.addChild(`gate${k}`, new TaskGate({ inputDim: c.inputDim, numExperts: E, visible: [...shared, ...own], ...c.gate, seed: deriveSeed(c.seed, `gate${k}`) })));
    }
    this.sharedGate = c.sharedGate ? this.addChild('sharedGate', new TaskGate({ inputDim: c.inputDim, numExperts: E, ...c.gate, seed: deriveSeed(c.seed, 'sharedGate') })) : undefined;
  }

  /**
   * `taskInputs[k]` feeds task k's experts and gate; `sharedInput` the shared experts (and shared gate).
   * `gateNames` (when given) records the task gates' weights in the context's diagnostics.
   */
  apply(taskInputs: tf.Tensor2D[], sharedInput: tf.Tensor2D, ctx: ForwardContext, condition?: tf.Tensor2D, gateNames?: string[]): CgcLevelOutput {
    const c = this.config;
    return tidyObject(() => {
      const sameStream = taskInputs.every((t) => t === sharedInput);
      const perExpert = sameStream ? sharedInput : [...Array<tf.Tensor2D>(c.sharedExperts).fill(sharedInput), ...taskInputs.flatMap((t) => Array<tf.Tensor2D>(c.taskExperts).fill(t))];
      const y = this.experts.applyAll(perExpert, ctx);
      const weights = this.taskGates.map((g, k) => g.apply(taskInputs[k], condition));
      if (gateNames) weights.forEach((w, k) => recordGate(ctx, gateNames[k], w));
      const taskOutputs = weights.map((w) => mixExperts(y, w));
      const sharedOutput = this.sharedGate ? mixExperts(y, this.sharedGate.apply(sharedInput, condition)) : undefined;
      const gateUsage = tf.stack(weights.map((w) => tf.mean(w, 0))) as tf.Tensor2D;
      return sharedOutput ? { taskOutputs, sharedOutput, gateUsage } : { taskOutputs, gateUsage };
    });
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModuleConfig;
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { mixExperts } from '../experts/all-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { recordGate, recordZeroRate } from '../mlp/forward-context.js';
import { MlpExperts } from '../mlp/mlp-experts.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt } from '../routers/validate.js';
import { contextOf, expertLayersOf, gateFieldsOf, taskNamesOf, type ExpertGateOptions, type MultiTaskApplyOptions } from './expert-options.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';
import { TaskGate } from './task-gate.js';

/** Configuration of {@link Mmoe}. */
export interface MmoeConfig extends ExpertGateOptions {
  inputDim: number;
  numTasks: number;
  numExperts: number;
  /** One gate shared by all tasks (OMoE) instead of one per task. Default false. */
  sharedGate?: boolean;
  seed?: number;
}

/**
 * MMoE (Ma et al. 2018): f^k(x) = Σ_i g^k(x)_i · f_i(x), g^k = softmax(W_gk x), one gate per task over shared
 * experts (OMoE with `sharedGate`); with `gateConditions` = D each task has one gate per domain, picked by the
 * side input (multi-domain MMoE). Experts are MLPs run in one grouped pass; gates only reweight.
 */
export class Mmoe extends Module {
  readonly kind = 'Mmoe';
  readonly config: MmoeConfig & { sharedGate: boolean; seed: number };
  readonly experts: MlpExperts;
  private readonly gates: TaskGate[] = [];
  private readonly taskNames: string[];

  constructor(config: MmoeConfig) {
    super();
    checkInt('Mmoe', 'numTasks', config.numTasks);
    checkInt('Mmoe', 'numExperts', config.numExperts);
    this.config = { sharedGate: false, seed: 0, ...config };
    const c = this.config;
    this.taskNames = taskNamesOf('Mmoe', c, c.numTasks);
    this.experts = this.addChild('experts', new MlpExperts({ numExperts: c.numExperts, inputDim: c.inputDim, ...expertLayersOf('Mmoe', c), seed: deriveSeed(c.seed, 'experts') }));
    // OMoE = one gate for every task.
    const gates = c.sharedGate ? 1 : c.numTasks;
    for (let k = 0; k < gates; k++) this.gates.push(this.addChild(`gate${k}`, new TaskGate({ inputDim: c.inputDim, numExperts: c.numExperts, ...gateFieldsOf(c), seed: deriveSeed(c.seed, `gate${k}`) })));
  }

  get outputDim(): number {
    return this.experts.outputDim;
  }

  apply(x: tf.Tensor2D, options: MultiTaskApplyOptions = {}): MultiTaskForward {
    checkFeatures('Mmoe.apply', x, this.config.inputDim);
    const ctx = contextOf(options);
    return tidyObject(() => {
      const y = this.experts.applyAll(x, ctx);
      recordZeroRate(ctx, 'experts', y);
      const weights = this.gates.map((g) => g.apply(x, options.condition));
      const perTask = this.taskNames.map((name, k) => {
        const w = weights[this.config.sharedGate ? 0 : k];
        recordGate(ctx, name, w);
        return w;
      });
      const outputs = perTask.map((w) => mixExperts(y, w));
      const gateUsage = tf.stack(perTask.map((w) => tf.mean(w, 0))) as tf.Tensor2D;
      return { outputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage };
    });
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModuleConfig;
  }
}

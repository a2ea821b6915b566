import * as tf from '@tensorflow/tfjs-core';
import { applyAllExperts, mixExperts } from '../experts/all-experts.js';
import type { ExpertActivation } from '../experts/activation.js';
import { checkInt } from '../experts/check.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';
import { MultiGateRouter } from '../routers/multi-gate-router.js';
import { disposeRouting } from '../routers/router.js';

/** Configuration of {@link Mmoe}. */
export interface MmoeConfig {
  inputDim: number;
  numTasks: number;
  numExperts: number;
  /** Hidden width of each expert MLP. */
  expertHidden: number;
  /** Width of the expert outputs (the towers' input). */
  outputDim: number;
  /** Default 'relu'. */
  activation?: ExpertActivation;
  /** Hidden layers of each task gate (default linear). */
  gateHidden?: number[];
  /** One gate shared by all tasks (OMoE) instead of one per task. Default false. */
  sharedGate?: boolean;
  seed?: number;
}

/**
 * MMoE (Ma et al. 2018): f^k(x) = Σ_i softmax(W_gk x)_i · f_i(x), one softmax gate per task over shared
 * experts; OMoE with `sharedGate`. Experts run in one grouped pass; gates only reweight.
 */
export class Mmoe extends Module {
  readonly kind = 'Mmoe';
  readonly config: Required<MmoeConfig>;
  readonly experts: FfnExperts;
  readonly gates: MultiGateRouter;

  constructor(config: MmoeConfig) {
    super();
    checkInt('Mmoe', 'numTasks', config.numTasks);
    checkInt('Mmoe', 'numExperts', config.numExperts);
    this.config = { activation: 'relu', gateHidden: [], sharedGate: false, seed: 0, ...config };
    const c = this.config;
    this.experts = this.addChild('experts', new FfnExperts({ numExperts: c.numExperts, inputDim: c.inputDim, hiddenDim: c.expertHidden, outputDim: c.outputDim, activation: c.activation, seed: deriveSeed(c.seed, 'experts') }));
    // OMoE = one gate for every task.
    this.gates = this.addChild('gates', new MultiGateRouter({ inputDim: c.inputDim, numExperts: c.numExperts, numTasks: c.sharedGate ? 1 : c.numTasks, gateHidden: c.gateHidden, seed: deriveSeed(c.seed, 'gates') }));
  }

  apply(x: tf.Tensor2D): MultiTaskForward {
    checkFeatures('Mmoe.apply', x, this.config.inputDim);
    const routings = this.gates.routeAll(x, { training: false });
    try {
      return this.mix(x, routings.map((r) => r.weights));
    } finally {
      routings.forEach(disposeRouting);
    }
  }

  private mix(x: tf.Tensor2D, weights: tf.Tensor2D[]): MultiTaskForward {
    return tidyObject(() => {
      const y = applyAllExperts(this.experts, x);
      const outputs = Array.from({ length: this.config.numTasks }, (_, k) => mixExperts(y, weights[this.config.sharedGate ? 0 : k]));
      const gateUsage = tf.stack(Array.from({ length: this.config.numTasks }, (_, k) => tf.mean(weights[this.config.sharedGate ? 0 : k], 0))) as tf.Tensor2D;
      return { outputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.config, gateHidden: [...this.config.gateHidden] };
  }
}

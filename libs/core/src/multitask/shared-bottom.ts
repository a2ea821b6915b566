import * as tf from '@tensorflow/tfjs-core';
import type { ExpertActivation } from '../experts/activation.js';
import { checkInt } from '../experts/check.js';
import { DenseFfn } from '../experts/dense-ffn.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkFeatures, type MultiTaskForward } from './multitask-forward.js';

/** Configuration of {@link SharedBottom}. */
export interface SharedBottomConfig {
  inputDim: number;
  numTasks: number;
  hiddenDim: number;
  outputDim: number;
  activation?: ExpertActivation;
  seed?: number;
}

/**
 * Shared-Bottom (Caruana 1997): one bottom MLP f shared by every task; each task's tower reads f(x). The
 * multi-task baseline every gated block is compared with; same return shape as `Mmoe` / `Ple`.
 */
export class SharedBottom extends Module {
  readonly kind = 'SharedBottom';
  readonly config: Required<SharedBottomConfig>;
  readonly bottom: DenseFfn;

  constructor(config: SharedBottomConfig) {
    super();
    checkInt('SharedBottom', 'numTasks', config.numTasks);
    this.config = { activation: 'relu', seed: 0, ...config };
    const c = this.config;
    this.bottom = this.addChild('bottom', new DenseFfn({ inputDim: c.inputDim, hiddenDim: c.hiddenDim, outputDim: c.outputDim, activation: c.activation, seed: deriveSeed(c.seed, 'bottom') }));
  }

  apply(x: tf.Tensor2D): MultiTaskForward {
    checkFeatures('SharedBottom.apply', x, this.config.inputDim);
    return tidyObject(() => {
      const h = this.bottom.apply(x) as tf.Tensor2D;
      const outputs = Array.from({ length: this.config.numTasks }, () => tf.clone(h));
      return { outputs, aux: { total: tf.scalar(0), parts: {} }, gateUsage: tf.ones([this.config.numTasks, 1]) as tf.Tensor2D };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}

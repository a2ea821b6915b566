import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';
import type { ForwardContext } from '../forward-context.js';
import { BatchNorm } from './batch-norm.js';
import { Dense } from './dense.js';

export type Activation = 'relu' | 'swish' | 'none';

export function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  if (activation === 'relu') return tf.relu(x);
  // Swish x·σ(x) from core ops (not a layers activation) so it differentiates on every backend.
  if (activation === 'swish') return tf.mul(x, tf.sigmoid(x));
  return x;
}

export interface MlpOptions {
  activation?: Activation;
  /** BatchNorm before each activation (HoME's expert normalisation). */
  batchNorm?: boolean;
  /** Leave the last layer linear (for logit outputs). */
  linearOutput?: boolean;
}

/**
 * The one MLP builder used by bottoms, experts and towers: Dense → [BatchNorm] → activation per layer.
 * With no layers it is the identity (a model can ask for an empty tower).
 */
export class Mlp extends Module {
  readonly kind = 'CtrMlp';
  readonly outputDim: number;
  private readonly layers: { dense: Dense; norm?: BatchNorm }[] = [];

  constructor(readonly inputDim: number, readonly sizes: readonly number[], readonly seed: number, readonly options: MlpOptions = {}) {
    super();
    let width = inputDim;
    sizes.forEach((size, i) => {
      const dense = this.addChild(`dense${i}`, new Dense(width, size, deriveSeed(seed, `layer${i}`)));
      const last = i === sizes.length - 1;
      const norm = options.batchNorm && !(last && options.linearOutput) ? this.addChild(`norm${i}`, new BatchNorm(size)) : undefined;
      this.layers.push({ dense, norm });
      width = size;
    });
    this.outputDim = width;
  }

  apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    let h = x;
    this.layers.forEach(({ dense, norm }, i) => {
      h = dense.apply(h);
      if (i === this.layers.length - 1 && this.options.linearOutput) return;
      if (norm) h = norm.apply(h, ctx);
      h = activate(h, this.options.activation ?? 'relu');
    });
    return h;
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, sizes: [...this.sizes], seed: this.seed, activation: this.options.activation ?? 'relu', batchNorm: !!this.options.batchNorm, linearOutput: !!this.options.linearOutput };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInput, checkInt } from './check.js';
import { glorotUniform } from './init.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link Linear}. */
export interface LinearConfig {
  inputDim: number;
  outputDim: number;
  bias?: boolean;
  /** false = frozen (the pretrained base linear under LoRA experts). Default true. */
  trainable?: boolean;
  seed?: number;
}

/** Every key of {@link LinearConfig} (checked against the type by `configFields`): any other key is refused. */
export const LINEAR_FIELDS = configFields<LinearConfig>()(['inputDim', 'outputDim', 'bias', 'trainable', 'seed']);

/** y = x·W + b on [..., inputDim]; the base layer that LoRA / rank-one experts adapt. */
export class Linear extends Module {
  readonly kind = 'Linear';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly bias: boolean;
  readonly trainable: boolean;
  readonly seed: number;
  private readonly w: tf.Variable;
  private readonly b?: tf.Variable;

  constructor(config: LinearConfig) {
    super();
    checkConfigFields('Linear', config, LINEAR_FIELDS);
    checkInt('Linear', 'inputDim', config.inputDim);
    checkInt('Linear', 'outputDim', config.outputDim);
    this.inputDim = config.inputDim;
    this.outputDim = config.outputDim;
    this.bias = config.bias ?? true;
    this.trainable = config.trainable ?? true;
    this.seed = config.seed ?? 0;
    this.w = this.addParam('w', glorotUniform([this.inputDim, this.outputDim], deriveSeed(this.seed, 'w')), this.trainable);
    if (this.bias) this.b = this.addParam('b', tf.zeros([this.outputDim]), this.trainable);
  }

  apply(x: tf.Tensor): tf.Tensor {
    checkInput('Linear.apply', 'x', x, [2, 3, 4], this.inputDim);
    return tf.tidy(() => {
      const y = tf.matMul(tf.reshape(x, [-1, this.inputDim]), this.w);
      return tf.reshape(this.b ? tf.add(y, this.b) : y, [...x.shape.slice(0, -1), this.outputDim]);
    });
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, outputDim: this.outputDim, bias: this.bias, trainable: this.trainable, seed: this.seed };
  }
}

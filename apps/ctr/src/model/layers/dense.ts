import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';

/** Glorot-uniform weights [..., fanIn, fanOut] with a deterministic seed. */
export function glorot(shape: number[], seed: number): tf.Tensor {
  const fanIn = shape[shape.length - 2];
  const fanOut = shape[shape.length - 1];
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}

/** y = x·W + b. */
export class Dense extends Module {
  readonly kind = 'CtrDense';
  readonly w: tf.Variable;
  readonly b: tf.Variable;

  constructor(readonly inputDim: number, readonly outputDim: number, readonly seed: number) {
    super();
    if (!Number.isInteger(inputDim) || inputDim < 1) throw new Error(`Dense: inputDim expected a positive integer, got ${inputDim}`);
    if (!Number.isInteger(outputDim) || outputDim < 1) throw new Error(`Dense: outputDim expected a positive integer, got ${outputDim}`);
    this.w = this.addParam('w', glorot([inputDim, outputDim], deriveSeed(seed, 'w')));
    this.b = this.addParam('b', tf.zeros([outputDim]));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.w), this.b);
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, outputDim: this.outputDim, seed: this.seed };
  }
}

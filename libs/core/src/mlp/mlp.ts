import * as tf from '@tensorflow/tfjs-core';
import { checkInput } from '../experts/check.js';
import { denseOps } from '../experts/linear-ops.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt } from '../routers/validate.js';
import { BatchNorm } from './batch-norm.js';
import type { ForwardContext } from './forward-context.js';
import { activateTensor, createMlpWeights, isHiddenLayer, mlpForward, mlpOutputDim, resolveMlpLayers, type MlpLayers, type MlpLayerWeights } from './mlp-layers.js';

/** Configuration of {@link Mlp}. */
export interface MlpConfig extends MlpLayers {
  inputDim: number;
  seed?: number;
}

/**
 * One multi-layer perceptron on [B, inputDim] (bottoms, towers, auxiliary networks): Linear → [BatchNorm] →
 * activation per layer, the last optionally linear. With no layers it is the identity.
 */
export class Mlp extends Module {
  readonly kind = 'Mlp';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly layers: Required<MlpLayers>;
  readonly seed: number;
  private readonly weights: MlpLayerWeights[];
  private readonly norms: (BatchNorm | undefined)[];

  constructor(config: MlpConfig) {
    super();
    const { inputDim, seed, ...layers } = config;
    checkInt('Mlp', 'inputDim', inputDim);
    this.inputDim = inputDim;
    this.seed = seed ?? 0;
    this.layers = resolveMlpLayers('Mlp', 'layers', layers);
    this.outputDim = mlpOutputDim(inputDim, this.layers);
    this.weights = createMlpWeights((n, t) => this.addParam(n, t), inputDim, this.layers, deriveSeed(this.seed, 'mlp'));
    this.norms = this.layers.sizes.map((size, i) => (this.layers.batchNorm && isHiddenLayer(this.layers, i) ? this.addChild(`norm${i}`, new BatchNorm({ channels: size })) : undefined));
  }

  apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    checkInput('Mlp.apply', 'x', x, [2], this.inputDim);
    if (this.layers.sizes.length === 0) return tf.clone(x);
    return mlpForward(x, this.weights, this.layers, { linear: (h, { w, b }) => denseOps.linear(h, w, b), norm: (h, i) => (this.norms[i] as BatchNorm).apply(h, ctx), activate: activateTensor });
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, ...this.layers, sizes: [...this.layers.sizes], seed: this.seed };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { checkActivation, type ExpertActivation } from './activation.js';
import { checkInput, checkInt } from './check.js';
import { ffnForward, type FfnWeights } from './ffn-math.js';
import { createFfnParams, ffnParamCount, type FfnShape } from './ffn-params.js';
import { denseOps } from './linear-ops.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link DenseFfn}. */
export interface DenseFfnConfig {
  inputDim: number;
  hiddenDim: number;
  /** Defaults to inputDim (an FFN block of a transformer). */
  outputDim?: number;
  /** Default 'gelu'. */
  activation?: ExpertActivation;
  /** Default true (ignored weights are simply not created when false). */
  bias?: boolean;
  /** false freezes every weight (a frozen base FFN under adapters). Default true. */
  trainable?: boolean;
  seed?: number;
}

/** Every key of {@link DenseFfnConfig} (checked against the type by `configFields`): any other key is refused. */
export const DENSE_FFN_FIELDS = configFields<DenseFfnConfig>()(['inputDim', 'hiddenDim', 'outputDim', 'activation', 'bias', 'trainable', 'seed']);

/**
 * The dense FFN an MoE layer replaces: y = act(xW1 + b1)W2 + b2 (or a GLU variant). Also the shared
 * expert of DeepSeekMoE, the frozen base of adapter mixtures, the shared bottom of multi-task models, and
 * the source of `upcycle`. Accepts [..., inputDim].
 */
export class DenseFfn extends Module {
  readonly kind = 'DenseFfn';
  readonly shape: FfnShape;
  readonly trainable: boolean;
  readonly seed: number;
  private readonly w: FfnWeights;

  constructor(config: DenseFfnConfig) {
    super();
    checkConfigFields('DenseFfn', config, DENSE_FFN_FIELDS);
    checkInt('DenseFfn', 'inputDim', config.inputDim);
    checkInt('DenseFfn', 'hiddenDim', config.hiddenDim);
    if (config.outputDim !== undefined) checkInt('DenseFfn', 'outputDim', config.outputDim);
    const activation = config.activation ?? 'gelu';
    checkActivation('DenseFfn', 'activation', activation);
    this.shape = { inputDim: config.inputDim, hiddenDim: config.hiddenDim, outputDim: config.outputDim ?? config.inputDim, activation, bias: config.bias ?? true, zeroOutput: false };
    this.trainable = config.trainable ?? true;
    this.seed = config.seed ?? 0;
    this.w = createFfnParams((n, t, tr) => this.addParam(n, t, tr), this.shape, this.seed, [], this.trainable);
  }

  get inputDim(): number {
    return this.shape.inputDim;
  }

  get outputDim(): number {
    return this.shape.outputDim;
  }

  apply(x: tf.Tensor): tf.Tensor {
    checkInput('DenseFfn.apply', 'x', x, [2, 3, 4], this.shape.inputDim);
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, this.shape.inputDim]) as tf.Tensor2D;
      const y = ffnForward(flat, this.w, this.shape.activation, denseOps);
      return tf.reshape(y, [...x.shape.slice(0, -1), this.shape.outputDim]);
    });
  }

  /** Parameters per token (all of them: the FFN is dense). */
  paramsPerToken(): number {
    return ffnParamCount(this.shape);
  }

  getConfig(): ModuleConfig {
    const s = this.shape;
    return { inputDim: s.inputDim, hiddenDim: s.hiddenDim, outputDim: s.outputDim, activation: s.activation, bias: s.bias, trainable: this.trainable, seed: this.seed };
  }
}

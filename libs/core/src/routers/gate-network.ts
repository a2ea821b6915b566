import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkBoolean, checkInt, checkIntArray, checkNumber } from './validate.js';

/** Configuration of {@link GateNetwork}. */
export interface GateNetworkConfig {
  inputDim: number;
  outputDim: number;
  /** Hidden ReLU layers before the logits (MMoE gates in FuxiCTR use [128, 64]); [] = a linear gate. */
  hidden?: number[];
  /** Bias on the logit layer (off by default: Switch, Shazeer and MMoE gates are bias-free). */
  useBias?: boolean;
  /**
   * Variance scale of the logit layer: N(0, initScale / fanIn) truncated. Switch uses 0.1 so that routing
   * starts close to uniform and the softmax is not saturated before the router has learned anything.
   */
  initScale?: number;
  seed?: number;
}

/**
 * The scoring network every router shares: token representations [T, d] → logits [T, outputDim]. Kept as
 * one module so initialisation, bias handling and hidden layers are the same for all routers.
 */
export class GateNetwork extends Module {
  readonly kind = 'GateNetwork';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly hidden: number[];
  readonly useBias: boolean;
  readonly initScale: number;
  readonly seed: number;
  private readonly layers: { w: tf.Variable; b?: tf.Variable }[] = [];

  constructor(config: GateNetworkConfig) {
    super();
    const owner = 'GateNetwork';
    checkInt(owner, 'inputDim', config.inputDim);
    checkInt(owner, 'outputDim', config.outputDim);
    this.hidden = config.hidden ?? [];
    checkIntArray(owner, 'hidden', this.hidden);
    this.useBias = config.useBias ?? false;
    checkBoolean(owner, 'useBias', this.useBias);
    this.initScale = config.initScale ?? 0.1;
    checkNumber(owner, 'initScale', this.initScale, 0, Infinity, true);
    this.seed = config.seed ?? 0;
    checkInt(owner, 'seed', this.seed, 0);
    this.inputDim = config.inputDim;
    this.outputDim = config.outputDim;
    const dims = [this.inputDim, ...this.hidden, this.outputDim];
    for (let i = 0; i + 1 < dims.length; i++) {
      const last = i + 2 === dims.length;
      // He scale for the ReLU layers, the small Switch scale for the logits.
      const std = Math.sqrt((last ? this.initScale : 2) / dims[i]);
      const name = last ? 'w' : `hidden${i}.w`;
      const w = this.addParam(name, tf.truncatedNormal([dims[i], dims[i + 1]], 0, std, 'float32', deriveSeed(this.seed, name)));
      const b = !last || this.useBias ? this.addParam(last ? 'b' : `hidden${i}.b`, tf.zeros([dims[i + 1]])) : undefined;
      this.layers.push({ w, b });
    }
  }

  /** Logits [T, outputDim] of `x` [T, inputDim] (no checks: routers validate their input once). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor2D = x;
      for (const [i, { w, b }] of this.layers.entries()) {
        h = tf.matMul(h, w);
        if (b) h = tf.add(h, b);
        if (i + 1 < this.layers.length) h = tf.relu(h);
      }
      return h;
    });
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, outputDim: this.outputDim, hidden: [...this.hidden], useBias: this.useBias, initScale: this.initScale, seed: this.seed };
  }
}

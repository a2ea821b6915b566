import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '@moe/core';

/** Configuration of {@link Conv2d}. */
export interface Conv2dConfig {
  inChannels: number;
  outChannels: number;
  /** Square kernel side (default 3), 'same' padding, stride 1. */
  kernel?: number;
  seed?: number;
  /** Scale of the He-normal init (default 1; 0 gives a zero-initialised conv, e.g. the last layer of a residual branch). */
  initScale?: number;
}

/** A 2-D convolution over NHWC images with bias (its weight gradient on wasm comes from @moe/kernels' fills). */
export class Conv2d extends Module {
  readonly kind = 'Conv2d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly seed: number;
  readonly initScale: number;
  private readonly w: tf.Variable;
  private readonly b: tf.Variable;

  constructor(config: Conv2dConfig) {
    super();
    for (const [name, v] of [['inChannels', config.inChannels], ['outChannels', config.outChannels], ['kernel', config.kernel ?? 3]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Conv2d: ${name} must be a positive integer; got ${String(v)}`);
    }
    this.inChannels = config.inChannels;
    this.outChannels = config.outChannels;
    this.kernel = config.kernel ?? 3;
    this.seed = config.seed ?? 0;
    this.initScale = config.initScale ?? 1;
    const fanIn = this.kernel * this.kernel * this.inChannels;
    const std = this.initScale * Math.sqrt(2 / fanIn);
    this.w = this.addParam('w', std === 0 ? tf.zeros([this.kernel, this.kernel, this.inChannels, this.outChannels]) : tf.randomNormal([this.kernel, this.kernel, this.inChannels, this.outChannels], 0, std, 'float32', this.seed));
    this.b = this.addParam('b', tf.zeros([this.outChannels]));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) throw new Error(`Conv2d.apply: x must be [B, H, W, ${this.inChannels}]; got [${x.shape}]`);
    return tf.tidy(() => tf.add(tf.conv2d(x, this.w as tf.Tensor4D, 1, 'same'), this.b) as tf.Tensor4D);
  }

  getConfig(): ModuleConfig {
    return { inChannels: this.inChannels, outChannels: this.outChannels, kernel: this.kernel, seed: this.seed, initScale: this.initScale };
  }
}

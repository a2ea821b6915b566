import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, activate, deriveSeed, type ModuleConfig } from '@moe/core';
import { checkPositiveInt, checkShape } from './check-args.js';
import { LayerNorm } from './layer-norm.js';

/** Configuration of {@link SegmentationHead}. */
export interface SegmentationHeadConfig {
  /** Token width D of the backbone grid. */
  inputDim: number;
  /** Hidden width of the per-token MLP. */
  hiddenDim: number;
  numClasses: number;
  /** Pixels per token side (the backbone's patch size): each token predicts a s×s block of logits. */
  upsample: number;
  seed?: number;
}

/**
 * Light decoder: LN → Linear(D→h) → GELU → Linear(h→K·s²) per token, then a pixel shuffle ("sub-pixel
 * convolution" without the conv) so each token writes the logits of its s×s pixel block. Grid [B, G, G, D]
 * → logits [B, G·s, G·s, K]. Only reshapes and matmuls, so it trains on every backend.
 */
export class SegmentationHead extends Module {
  readonly kind = 'SegmentationHead';
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly numClasses: number;
  readonly upsample: number;
  readonly seed: number;
  readonly norm: LayerNorm;
  readonly hidden: Linear;
  readonly output: Linear;

  constructor(config: SegmentationHeadConfig) {
    super();
    this.inputDim = checkPositiveInt('SegmentationHead', 'inputDim', config.inputDim);
    this.hiddenDim = checkPositiveInt('SegmentationHead', 'hiddenDim', config.hiddenDim);
    this.numClasses = checkPositiveInt('SegmentationHead', 'numClasses', config.numClasses);
    this.upsample = checkPositiveInt('SegmentationHead', 'upsample', config.upsample);
    this.seed = config.seed ?? 0;
    this.norm = this.addChild('norm', new LayerNorm({ dim: this.inputDim }));
    this.hidden = this.addChild('hidden', new Linear({ inputDim: this.inputDim, outputDim: this.hiddenDim, seed: deriveSeed(this.seed, 'hidden') }));
    this.output = this.addChild('output', new Linear({ inputDim: this.hiddenDim, outputDim: this.numClasses * this.upsample * this.upsample, seed: deriveSeed(this.seed, 'output') }));
  }

  apply(grid: tf.Tensor4D): tf.Tensor4D {
    checkShape('SegmentationHead.apply', 'grid', grid.shape, [null, null, null, this.inputDim], grid.dtype);
    const [B, gh, gw] = grid.shape;
    const s = this.upsample;
    const K = this.numClasses;
    return tf.tidy(() => {
      const h = activate(this.hidden.apply(this.norm.apply(grid)), 'gelu');
      const blocks = tf.reshape(this.output.apply(h), [B, gh, gw, s, s, K]);
      return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [B, gh * s, gw * s, K]) as tf.Tensor4D;
    });
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, hiddenDim: this.hiddenDim, numClasses: this.numClasses, upsample: this.upsample, seed: this.seed };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';

export interface FrozenConvBackboneConfig {
  /** Channels of the two stride-2 3×3 conv layers. */
  channels: [number, number];
  seed: number;
}

/**
 * The frame encoder of the real-video path: two stride-2 3×3 convolutions with ReLU and global average
 * pooling, **weights frozen at a seeded He-normal random initialisation — not pretrained**. (No pretrained
 * image backbone from @moe/vision was available when this was written; random convolutional features are a
 * weak but honest stand-in: fixed, never trained on the test video, and enough for the inserted events.)
 * Frames [N, H, W, 1] in [0, 1] → features [N, channels[1]].
 */
export class FrozenConvBackbone extends Module {
  readonly kind = 'FrozenConvBackbone';
  readonly config: FrozenConvBackboneConfig;
  private readonly w1: tf.Variable;
  private readonly w2: tf.Variable;

  constructor(config: FrozenConvBackboneConfig) {
    super();
    this.config = config;
    const [c1, c2] = config.channels;
    this.w1 = this.addParam('w1', tf.randomNormal([3, 3, 1, c1], 0, Math.sqrt(2 / 9), 'float32', deriveSeed(config.seed, 'w1')), false);
    this.w2 = this.addParam('w2', tf.randomNormal([3, 3, c1, c2], 0, Math.sqrt(2 / (9 * c1)), 'float32', deriveSeed(config.seed, 'w2')), false);
  }

  get outputDim(): number {
    return this.config.channels[1];
  }

  apply(frames: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const centred = tf.sub(frames, 0.5) as tf.Tensor4D;
      const h1 = tf.relu(tf.conv2d(centred, this.w1 as tf.Tensor4D, 2, 'same'));
      const h2 = tf.relu(tf.conv2d(h1 as tf.Tensor4D, this.w2 as tf.Tensor4D, 2, 'same'));
      return tf.mean(h2, [1, 2]) as tf.Tensor2D;
    });
  }

  getConfig(): ModuleConfig {
    return { channels: [...this.config.channels], seed: this.config.seed };
  }
}

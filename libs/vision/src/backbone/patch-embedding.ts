import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, deriveSeed, type ModuleConfig } from '@moe/core';
import { checkPositiveInt, checkShape } from './check-args.js';

/** Configuration of {@link PatchEmbedding}. */
export interface PatchEmbeddingConfig {
  /** Side p of the square patches (the token grid is H/p × W/p). */
  patchSize: number;
  /** Bands of the input image. */
  channels: number;
  embedDim: number;
  seed?: number;
}

/**
 * ViT patch embedding: cuts [B, H, W, C] images into non-overlapping p×p patches and projects each
 * flattened patch (p·p·C values) linearly to D. Written as reshape/transpose + one matmul rather than a
 * strided conv because the wasm backend has no conv weight gradient (full fine-tuning needs it).
 */
export class PatchEmbedding extends Module {
  readonly kind = 'PatchEmbedding';
  readonly patchSize: number;
  readonly channels: number;
  readonly embedDim: number;
  readonly seed: number;
  readonly projection: Linear;

  constructor(config: PatchEmbeddingConfig) {
    super();
    this.patchSize = checkPositiveInt('PatchEmbedding', 'patchSize', config.patchSize);
    this.channels = checkPositiveInt('PatchEmbedding', 'channels', config.channels);
    this.embedDim = checkPositiveInt('PatchEmbedding', 'embedDim', config.embedDim);
    this.seed = config.seed ?? 0;
    this.projection = this.addChild('projection', new Linear({ inputDim: this.patchSize * this.patchSize * this.channels, outputDim: this.embedDim, seed: deriveSeed(this.seed, 'projection') }));
  }

  /** [B, H, W, C] → tokens [B, Gh·Gw, D] in row-major grid order; H and W must be multiples of p. */
  apply(images: tf.Tensor4D): tf.Tensor3D {
    checkShape('PatchEmbedding.apply', 'images', images.shape, [null, null, null, this.channels], images.dtype);
    const [B, H, W, C] = images.shape;
    const p = this.patchSize;
    if (H % p !== 0 || W % p !== 0) throw new Error(`PatchEmbedding.apply: images height and width must be multiples of the patch size ${p}; got ${H}×${W}`);
    const gh = H / p;
    const gw = W / p;
    return tf.tidy(() => {
      // [B, gh, p, gw, p, C] → [B, gh, gw, p, p, C]: each patch's pixels become one contiguous row.
      const patches = tf.reshape(tf.transpose(tf.reshape(images, [B, gh, p, gw, p, C]), [0, 1, 3, 2, 4, 5]), [B * gh * gw, p * p * C]);
      return tf.reshape(this.projection.apply(patches), [B, gh * gw, this.embedDim]) as tf.Tensor3D;
    });
  }

  getConfig(): ModuleConfig {
    return { patchSize: this.patchSize, channels: this.channels, embedDim: this.embedDim, seed: this.seed };
  }
}

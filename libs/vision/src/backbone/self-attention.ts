import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, deriveSeed, type ModuleConfig } from '@moe/core';
import { checkPositiveInt } from './check-args.js';
import type { LinearSite } from './block-hooks.js';

/** Configuration of {@link SelfAttention}. */
export interface SelfAttentionConfig {
  dim: number;
  heads: number;
  seed?: number;
}

/** Adds an optional adapter update to a linear's output (the LoRA hook of {@link BlockHooks}). */
export type LinearWithDelta = (site: LinearSite, linear: Linear, x: tf.Tensor2D) => tf.Tensor2D;

/**
 * Multi-head self-attention over all tokens (no mask, no cls token): fused qkv projection, softmax(q·kᵀ/√dₕ)·v
 * per head, output projection. Tokens [B, N, D] in, [B, N, D] out.
 */
export class SelfAttention extends Module {
  readonly kind = 'SelfAttention';
  readonly dim: number;
  readonly heads: number;
  readonly seed: number;
  readonly qkv: Linear;
  readonly proj: Linear;

  constructor(config: SelfAttentionConfig) {
    super();
    this.dim = checkPositiveInt('SelfAttention', 'dim', config.dim);
    this.heads = checkPositiveInt('SelfAttention', 'heads', config.heads);
    if (this.dim % this.heads !== 0) throw new Error(`SelfAttention: dim must be a multiple of heads; got dim ${this.dim}, heads ${this.heads}`);
    this.seed = config.seed ?? 0;
    this.qkv = this.addChild('qkv', new Linear({ inputDim: this.dim, outputDim: 3 * this.dim, seed: deriveSeed(this.seed, 'qkv') }));
    this.proj = this.addChild('proj', new Linear({ inputDim: this.dim, outputDim: this.dim, seed: deriveSeed(this.seed, 'proj') }));
  }

  apply(tokens: tf.Tensor3D, linear: LinearWithDelta): tf.Tensor3D {
    const [B, N, D] = tokens.shape;
    const h = this.heads;
    const dh = D / h;
    return tf.tidy(() => {
      const qkv = linear('qkv', this.qkv, tf.reshape(tokens, [B * N, D]) as tf.Tensor2D);
      // Columns of qkv are [3, h, dh]: slice q, k, v as [B·N, D] column blocks, then [B, N, h, dh] → [B, h, N, dh].
      // Kept at rank ≤ 4 on purpose: tfjs-webgpu 4.22 generates invalid WGSL (`vec5`) for rank-5 slices.
      const part = (i: number): tf.Tensor4D => tf.transpose(tf.reshape(tf.slice(qkv, [0, i * D], [B * N, D]), [B, N, h, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
      const q = tf.mul(part(0), 1 / Math.sqrt(dh));
      const attn = tf.softmax(tf.matMul(q, part(1), false, true));
      const mixed = tf.reshape(tf.transpose(tf.matMul(attn, part(2)), [0, 2, 1, 3]), [B * N, D]) as tf.Tensor2D;
      return tf.reshape(linear('proj', this.proj, mixed), [B, N, D]) as tf.Tensor3D;
    });
  }

  getConfig(): ModuleConfig {
    return { dim: this.dim, heads: this.heads, seed: this.seed };
  }
}

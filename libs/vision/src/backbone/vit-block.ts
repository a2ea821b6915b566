import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, activate, deriveSeed, type ModuleConfig } from '@moe/core';
import { checkFinite, checkPositiveInt } from './check-args.js';
import { LayerNorm } from './layer-norm.js';
import { SelfAttention, type LinearWithDelta } from './self-attention.js';

/** Configuration of {@link VitBlock}. */
export interface VitBlockConfig {
  dim: number;
  heads: number;
  /** Hidden width of the MLP as a multiple of dim (default 4). */
  mlpRatio?: number;
  /** Initial value of both layer-scale vectors γ (CaiT / DINOv2 "init_values"; default 0.1). */
  layerScaleInit?: number;
  seed?: number;
}

/**
 * Pre-norm transformer block with layer scale (CaiT, DINOv2):
 * x ← x + γ₁ ⊙ Attn(LN₁(x)); x ← x + γ₂ ⊙ MLP(LN₂(x)), MLP = fc2(GELU(fc1(·))). Tokens [B, N, D].
 */
export class VitBlock extends Module {
  readonly kind = 'VitBlock';
  readonly dim: number;
  readonly heads: number;
  readonly mlpRatio: number;
  readonly layerScaleInit: number;
  readonly seed: number;
  readonly norm1: LayerNorm;
  readonly attention: SelfAttention;
  readonly norm2: LayerNorm;
  readonly fc1: Linear;
  readonly fc2: Linear;
  private readonly gamma1: tf.Variable;
  private readonly gamma2: tf.Variable;

  constructor(config: VitBlockConfig) {
    super();
    this.dim = checkPositiveInt('VitBlock', 'dim', config.dim);
    this.heads = checkPositiveInt('VitBlock', 'heads', config.heads);
    this.mlpRatio = checkPositiveInt('VitBlock', 'mlpRatio', config.mlpRatio ?? 4);
    this.layerScaleInit = checkFinite('VitBlock', 'layerScaleInit', config.layerScaleInit ?? 0.1);
    this.seed = config.seed ?? 0;
    this.norm1 = this.addChild('norm1', new LayerNorm({ dim: this.dim }));
    this.attention = this.addChild('attention', new SelfAttention({ dim: this.dim, heads: this.heads, seed: deriveSeed(this.seed, 'attention') }));
    this.gamma1 = this.addParam('gamma1', tf.fill([this.dim], this.layerScaleInit));
    this.norm2 = this.addChild('norm2', new LayerNorm({ dim: this.dim }));
    const hidden = this.dim * this.mlpRatio;
    this.fc1 = this.addChild('fc1', new Linear({ inputDim: this.dim, outputDim: hidden, seed: deriveSeed(this.seed, 'fc1') }));
    this.fc2 = this.addChild('fc2', new Linear({ inputDim: hidden, outputDim: this.dim, seed: deriveSeed(this.seed, 'fc2') }));
    this.gamma2 = this.addParam('gamma2', tf.fill([this.dim], this.layerScaleInit));
  }

  apply(tokens: tf.Tensor3D, linear: LinearWithDelta): tf.Tensor3D {
    const [B, N, D] = tokens.shape;
    if (D !== this.dim) throw new Error(`VitBlock.apply: tokens last dimension must be ${this.dim}; got shape [${tokens.shape}]`);
    return tf.tidy(() => {
      const x = tf.add(tokens, tf.mul(this.gamma1, this.attention.apply(this.norm1.apply(tokens), linear)));
      const rows = tf.reshape(this.norm2.apply(x), [B * N, D]) as tf.Tensor2D;
      const hidden = activate(linear('fc1', this.fc1, rows), 'gelu') as tf.Tensor2D;
      const mlp = tf.reshape(linear('fc2', this.fc2, hidden), [B, N, D]);
      return tf.add(x, tf.mul(this.gamma2, mlp)) as tf.Tensor3D;
    });
  }

  getConfig(): ModuleConfig {
    return { dim: this.dim, heads: this.heads, mlpRatio: this.mlpRatio, layerScaleInit: this.layerScaleInit, seed: this.seed };
  }
}

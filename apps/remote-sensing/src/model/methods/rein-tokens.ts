import * as tf from '@tensorflow/tfjs-core';
import { Linear, deriveSeed, type ModuleConfig } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import { MethodAdapters } from './method-adapters.js';

/** Configuration of {@link ReinTokens}. */
export interface ReinTokensConfig {
  channels: number;
  depth: number;
  /** Learnable tokens per layer m (Rein: 100). */
  tokens: number;
  /** Rank r of the token factorisation T_l = A_l · B_l (Rein's lora_dim: 16). */
  rank: number;
  seed?: number;
}

/**
 * Rein (vision.md §1.3) after every block, on all tokens: T_l = A_l·B_l ∈ R^{m×C};
 * attn = softmax(F·T_lᵀ/√C); Δ = MLP_Δ(attn·MLP_T(T_l) + F); F ← F + s·Δ, with MLP_T and MLP_Δ linears
 * shared by all layers and one shared scale s (init 1e-3). Simplifications: no cls token and no
 * token-to-query link (there is no Mask2Former head here), so Rein's "drop the first token" is not applied.
 */
export class ReinTokens extends MethodAdapters {
  readonly kind = 'ReinTokens';
  readonly method = 'rein' as const;
  readonly mlpToken: Linear;
  readonly mlpDelta: Linear;
  private readonly settings: Required<ReinTokensConfig>;
  private readonly factorA: tf.Variable[] = [];
  private readonly factorB: tf.Variable[] = [];
  private readonly scale: tf.Variable;

  constructor(config: ReinTokensConfig) {
    super();
    this.settings = { seed: 0, ...config };
    const { channels: c, depth, tokens: m, rank: r, seed } = this.settings;
    for (const [name, v] of [['channels', c], ['depth', depth], ['tokens', m], ['rank', r]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`ReinTokens: ${name} must be a positive integer; got ${String(v)}`);
    }
    // Uniform ±√(6/(m+r)) / ±√(6/(r+c)) (Glorot), so T_l has unit-order entries like Rein's uniform init.
    for (let l = 0; l < depth; l++) {
      const la = Math.sqrt(6 / (m + r));
      const lb = Math.sqrt(6 / (r + c));
      this.factorA.push(this.addParam(`tokensA${l}`, tf.randomUniform([m, r], -la, la, 'float32', deriveSeed(seed, `A${l}`))));
      this.factorB.push(this.addParam(`tokensB${l}`, tf.randomUniform([r, c], -lb, lb, 'float32', deriveSeed(seed, `B${l}`))));
    }
    this.mlpToken = this.addChild('mlpToken', new Linear({ inputDim: c, outputDim: c, seed: deriveSeed(seed, 'mlpToken') }));
    this.mlpDelta = this.addChild('mlpDelta', new Linear({ inputDim: c, outputDim: c, seed: deriveSeed(seed, 'mlpDelta') }));
    this.scale = this.addParam('scale', tf.scalar(1e-3));
  }

  hooks(): BlockHooks {
    const c = this.settings.channels;
    return {
      afterBlock: (l, grid) =>
        tf.tidy(() => {
          const f = tf.reshape(grid, [-1, c]) as tf.Tensor2D;
          const t = tf.matMul(this.factorA[l], this.factorB[l]);
          const attn = tf.softmax(tf.mul(tf.matMul(f, t, false, true), 1 / Math.sqrt(c)));
          const delta = this.mlpDelta.apply(tf.add(tf.matMul(attn, this.mlpToken.apply(t) as tf.Tensor2D), f));
          return tf.add(grid, tf.reshape(tf.mul(this.scale, delta), grid.shape)) as tf.Tensor4D;
        }),
    };
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

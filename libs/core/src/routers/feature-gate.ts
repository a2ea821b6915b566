import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt, checkKnownKeys, checkTokens } from './validate.js';

/** Configuration of {@link FeatureGate}. */
export interface FeatureGateConfig {
  inputDim: number;
  /** Rank l ≪ d of the factorised gate (HoME re-implementation: 64). */
  rank: number;
  seed?: number;
}

/**
 * HoME feature gate (Wang et al. 2024): each expert gets a privatised input v ⊙ 2σ(v B A), B [d, l],
 * A [l, d]. The factor 2 centres the multiplier at 1 (range (0, 2)), as in PEPNet's gate NU; the LoRA-style
 * factorisation keeps it at 2·d·l parameters per expert.
 */
export class FeatureGate extends Module {
  readonly kind = 'FeatureGate';
  readonly inputDim: number;
  readonly rank: number;
  readonly seed: number;
  private readonly down: tf.Variable;
  private readonly up: tf.Variable;

  constructor(config: FeatureGateConfig) {
    super();
    checkKnownKeys('FeatureGate', config, ['kind', 'inputDim', 'rank', 'seed']);
    checkInt('FeatureGate', 'inputDim', config.inputDim);
    checkInt('FeatureGate', 'rank', config.rank);
    this.inputDim = config.inputDim;
    this.rank = config.rank;
    this.seed = config.seed ?? 0;
    checkInt('FeatureGate', 'seed', this.seed, 0);
    this.down = this.addParam('b', tf.truncatedNormal([this.inputDim, this.rank], 0, Math.sqrt(1 / this.inputDim), 'float32', deriveSeed(this.seed, 'b')));
    // A small A starts the multiplier near 1, so the gate begins as (almost) the identity.
    this.up = this.addParam('a', tf.truncatedNormal([this.rank, this.inputDim], 0, 0.01, 'float32', deriveSeed(this.seed, 'a')));
  }

  /** v ⊙ 2σ(v B A) for v [T, d]. */
  apply(v: tf.Tensor2D): tf.Tensor2D {
    checkTokens(this.kind, 'v', v, this.inputDim);
    return tf.tidy(() => tf.mul(v, tf.mul(2, tf.sigmoid(tf.matMul(tf.matMul(v, this.down), this.up)))));
  }

  getConfig(): ModuleConfig {
    return { kind: this.kind, inputDim: this.inputDim, rank: this.rank, seed: this.seed };
  }
}

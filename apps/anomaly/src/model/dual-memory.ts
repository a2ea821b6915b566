import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';

export interface DualMemoryConfig {
  channels: number;
  /** Slots per memory bank (UR-DMU uses 60 for each of the abnormal and normal banks). */
  slots: number;
  seed?: number;
}

/** What one memory read gives per snippet. */
export interface MemoryRead {
  /** Attention-weighted read of the abnormal bank, [B, T, channels]. */
  readAbnormal: tf.Tensor3D;
  /** Same for the normal bank. */
  readNormal: tf.Tensor3D;
  /** σ(max_m ⟨h_t, A_m⟩/√C): how strongly snippet t matches an abnormal slot, [B, T]. */
  abnormalMatch: tf.Tensor2D;
  /** The same against the normal bank, [B, T]. */
  normalMatch: tf.Tensor2D;
}

/**
 * UR-DMU's dual memory, reduced to its mechanism: two learnable banks of prototypes (abnormal A, normal N);
 * each snippet reads both by softmax attention, and its best match against each bank is a score the memory
 * losses supervise with the video label (abnormal videos must match A somewhere, normal videos never; normal
 * videos match N throughout). UR-DMU's variational and triplet terms are left out (see the app README).
 */
export class DualMemory extends Module {
  readonly kind = 'DualMemory';
  readonly channels: number;
  readonly slots: number;
  readonly seed: number;
  private readonly abnormal: tf.Variable;
  private readonly normal: tf.Variable;

  constructor(config: DualMemoryConfig) {
    super();
    for (const k of ['channels', 'slots'] as const) if (!Number.isInteger(config[k]) || config[k] < 1) throw new RangeError(`DualMemory: ${k} must be a positive integer, got ${config[k]}`);
    this.channels = config.channels;
    this.slots = config.slots;
    this.seed = config.seed ?? 0;
    const init = (name: string) => tf.randomNormal([this.slots, this.channels], 0, 1 / Math.sqrt(this.channels), 'float32', deriveSeed(this.seed, name));
    this.abnormal = this.addParam('abnormal', init('abnormal'));
    this.normal = this.addParam('normal', init('normal'));
  }

  apply(h: tf.Tensor3D): MemoryRead {
    if (h.rank !== 3 || h.shape[2] !== this.channels) throw new RangeError(`DualMemory.apply: h must be [batch, snippets, ${this.channels}], got [${h.shape}]`);
    const [b, t] = h.shape;
    const scale = 1 / Math.sqrt(this.channels);
    const read = (bank: tf.Variable) =>
      tf.tidy(() => {
        const flat = tf.reshape(h, [b * t, this.channels]) as tf.Tensor2D;
        const logits = tf.mul(tf.matMul(flat, bank, false, true), scale);
        const value = tf.reshape(tf.matMul(tf.softmax(logits), bank), [b, t, this.channels]) as tf.Tensor3D;
        const match = tf.reshape(tf.sigmoid(tf.max(logits, 1)), [b, t]) as tf.Tensor2D;
        return { value, match };
      });
    const a = read(this.abnormal);
    const n = read(this.normal);
    return { readAbnormal: a.value, readNormal: n.value, abnormalMatch: a.match, normalMatch: n.match };
  }

  getConfig(): ModuleConfig {
    return { channels: this.channels, slots: this.slots, seed: this.seed };
  }
}

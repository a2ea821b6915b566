import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, deriveSeed, type ModuleConfig } from '@moe/core';

export interface CausalTemporalConvConfig {
  channels: number;
  /** Snippets the output at t sees: t − kernel + 1 … t. Default 3. */
  kernel?: number;
  seed?: number;
}

/**
 * A causal 1-D convolution over snippets: y_t = W·[h_{t−k+1}; …; h_t] + b, with zero rows before the start.
 * Causal (rather than centred as in UR-DMU's encoder) so that a live camera's snippet is scored the moment it
 * arrives, and a stream scorer that keeps the last k − 1 rows per camera gives exactly the batch scores.
 * Written as pad + k slices + one matmul, ops whose gradients every backend has.
 */
export class CausalTemporalConv extends Module {
  readonly kind = 'CausalTemporalConv';
  readonly channels: number;
  readonly kernel: number;
  readonly seed: number;
  private readonly proj: Linear;

  constructor(config: CausalTemporalConvConfig) {
    super();
    this.channels = config.channels;
    this.kernel = config.kernel ?? 3;
    if (!Number.isInteger(this.kernel) || this.kernel < 1) throw new RangeError(`CausalTemporalConv: kernel must be a positive integer, got ${config.kernel}`);
    this.seed = config.seed ?? 0;
    this.proj = this.addChild('proj', new Linear({ inputDim: this.kernel * this.channels, outputDim: this.channels, seed: deriveSeed(this.seed, 'proj') }));
  }

  /** h: [B, T, channels] → [B, T, channels]. */
  apply(h: tf.Tensor3D): tf.Tensor3D {
    if (h.rank !== 3 || h.shape[2] !== this.channels) throw new RangeError(`CausalTemporalConv.apply: h must be [batch, snippets, ${this.channels}], got [${h.shape}]`);
    return tf.tidy(() => {
      const [b, t, c] = h.shape;
      const padded = this.kernel > 1 ? tf.pad(h, [[0, 0], [this.kernel - 1, 0], [0, 0]]) : h;
      const taps = Array.from({ length: this.kernel }, (_, j) => tf.slice(padded, [0, j, 0], [b, t, c]));
      return this.proj.apply(this.kernel > 1 ? tf.concat(taps, 2) : taps[0]) as tf.Tensor3D;
    });
  }

  getConfig(): ModuleConfig {
    return { channels: this.channels, kernel: this.kernel, seed: this.seed };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { FrequencyAdapterMixture, deriveSeed, disposeRoutingStats, type ModuleConfig } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import { MethodAdapters } from './method-adapters.js';

/** Configuration of {@link EarthAdapter}. */
export interface EarthAdapterConfig {
  channels: number;
  depth: number;
  /** Bottleneck d of each of the three adapter MLPs (C → d → C). */
  adapterDim: number;
  /** Square low-pass cut-off ratio r (k = ⌊G·r/2⌋; 0.3 as the paper's default). */
  cutoff: number;
  seed?: number;
}

/**
 * Earth-Adapter (vision.md §1.1) on every block: after block l, `@moe/core`'s FrequencyAdapterMixture
 * computes F ← F + α_l · Σ_i w_i(F) · MLP_i(band_i(F)) with the DFT low/high split of the token grid per
 * channel, a per-token softmax router over 3 adapters and a learnable α_l (init 0.1). All layers are
 * "fft layers" here (the paper picks a per-benchmark subset, which is per-target tuning; §1.2).
 */
export class EarthAdapter extends MethodAdapters {
  readonly kind = 'EarthAdapter';
  readonly method = 'earth-adapter' as const;
  readonly layers: FrequencyAdapterMixture[];
  private readonly settings: Required<EarthAdapterConfig>;

  constructor(config: EarthAdapterConfig) {
    super();
    this.settings = { seed: 0, ...config };
    this.layers = [];
    for (let l = 0; l < config.depth; l++) {
      this.layers.push(this.addChild(`layer${l}`, new FrequencyAdapterMixture({ channels: config.channels, adapterDim: config.adapterDim, cutoff: config.cutoff, alpha: 0.1, seed: deriveSeed(this.settings.seed, `layer${l}`) })));
    }
  }

  hooks(): BlockHooks {
    return {
      afterBlock: (l, grid) => {
        const f = this.layers[l].apply(grid);
        tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
        disposeRoutingStats(f.stats);
        return f.output as tf.Tensor4D;
      },
    };
  }

  override routerWeights(layer: number, grid: tf.Tensor4D): tf.Tensor4D {
    const mixture = this.layers[layer];
    return tf.tidy(() => {
      const routing = mixture.router.route(tf.reshape(grid, [-1, grid.shape[3]]) as tf.Tensor2D, { training: false });
      const [B, H, W] = grid.shape;
      return tf.reshape(routing.weights, [B, H, W, 3]) as tf.Tensor4D;
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

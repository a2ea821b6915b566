import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, type ModuleConfig } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import { AdapterMixture } from './adapter-mixture.js';
import { MethodAdapters } from './method-adapters.js';

/** Configuration of {@link MixtureAblation}. */
export interface MixtureAblationConfig {
  method: 'spatial-mixture' | 'frequency-no-router';
  channels: number;
  depth: number;
  adapterDim: number;
  cutoff: number;
  seed?: number;
}

/** An {@link AdapterMixture} ablation after every block (same placement, d and α init as Earth-Adapter). */
export class MixtureAblation extends MethodAdapters {
  readonly kind = 'MixtureAblation';
  readonly method: 'spatial-mixture' | 'frequency-no-router';
  readonly layers: AdapterMixture[];
  private readonly settings: Required<MixtureAblationConfig>;

  constructor(config: MixtureAblationConfig) {
    super();
    this.settings = { seed: 0, ...config };
    this.method = config.method;
    const bands = config.method === 'spatial-mixture' ? 'spatial' : 'frequency';
    const routed = config.method === 'spatial-mixture';
    this.layers = [];
    for (let l = 0; l < config.depth; l++) {
      this.layers.push(this.addChild(`layer${l}`, new AdapterMixture({ channels: config.channels, adapterDim: config.adapterDim, cutoff: config.cutoff, bands, routed, seed: deriveSeed(this.settings.seed, `layer${l}`) })));
    }
  }

  hooks(): BlockHooks {
    return { afterBlock: (l, grid) => this.layers[l].apply(grid) };
  }

  override routerWeights(layer: number, grid: tf.Tensor4D): tf.Tensor4D | undefined {
    const mixture = this.layers[layer];
    if (!mixture.router) return undefined;
    const [B, H, W] = grid.shape;
    return tf.tidy(() => tf.reshape(mixture.weights(tf.reshape(grid, [-1, grid.shape[3]]) as tf.Tensor2D), [B, H, W, 3]) as tf.Tensor4D);
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

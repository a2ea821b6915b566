import * as tf from '@tensorflow/tfjs-core';
import { BottleneckAdapters, applyAllExperts, deriveSeed, type ModuleConfig } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import { MethodAdapters } from './method-adapters.js';

/** Configuration of {@link BottleneckMethod}. */
export interface BottleneckMethodConfig {
  channels: number;
  depth: number;
  bottleneckDim: number;
  seed?: number;
}

/**
 * A plain bottleneck adapter after every block, F ← F + MLP(F) with ReLU, up-projection zero-initialised
 * (core's BottleneckAdapters, one expert): the paper's "Adapter" baseline row.
 */
export class BottleneckMethod extends MethodAdapters {
  readonly kind = 'BottleneckMethod';
  readonly method = 'bottleneck' as const;
  readonly layers: BottleneckAdapters[] = [];
  private readonly settings: Required<BottleneckMethodConfig>;

  constructor(config: BottleneckMethodConfig) {
    super();
    this.settings = { seed: 0, ...config };
    for (let l = 0; l < config.depth; l++) {
      this.layers.push(this.addChild(`layer${l}`, new BottleneckAdapters({ numExperts: 1, inputDim: config.channels, bottleneckDim: config.bottleneckDim, seed: deriveSeed(this.settings.seed, `layer${l}`) })));
    }
  }

  hooks(): BlockHooks {
    const c = this.settings.channels;
    return {
      afterBlock: (l, grid) => tf.tidy(() => tf.add(grid, tf.reshape(applyAllExperts(this.layers[l], tf.reshape(grid, [-1, c]) as tf.Tensor2D), grid.shape)) as tf.Tensor4D),
    };
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { FrequencyAdapterMixture, disposeRoutingStats, type FrequencyAdapterMixtureConfig } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import { MethodAdapters } from './method-adapters.js';

/**
 * A method that puts one `@moe/core` FrequencyAdapterMixture after every backbone block: Earth-Adapter and
 * its ablations, which differ only in the blocks' config. The hooks run block l's mixture on the grid; the
 * router maps are its per-token softmax weights (none for a mixture built with `routed: false`).
 */
export abstract class MixtureMethod extends MethodAdapters {
  readonly layers: FrequencyAdapterMixture[] = [];

  /** Adds block l's mixture as child `layer${l}` (the name its variables are saved under). */
  protected addLayers(depth: number, config: (layer: number) => FrequencyAdapterMixtureConfig): void {
    for (let l = 0; l < depth; l++) this.layers.push(this.addChild(`layer${l}`, new FrequencyAdapterMixture(config(l))));
  }

  hooks(): BlockHooks {
    return {
      afterBlock: (l, grid) => {
        const f = this.layers[l].apply(grid);
        // The backbone takes the map only: the block's aux is zero and its routing stats are not used here.
        tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
        disposeRoutingStats(f.stats);
        return f.output as tf.Tensor4D;
      },
    };
  }

  override routerWeights(layer: number, grid: tf.Tensor4D): tf.Tensor4D | undefined {
    const router = this.layers[layer].router;
    if (!router) return undefined;
    return tf.tidy(() => {
      const routing = router.route(tf.reshape(grid, [-1, grid.shape[3]]) as tf.Tensor2D, { training: false });
      const [B, H, W] = grid.shape;
      return tf.reshape(routing.weights, [B, H, W, router.numExperts]) as tf.Tensor4D;
    });
  }
}

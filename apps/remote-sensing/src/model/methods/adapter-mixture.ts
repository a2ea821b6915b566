import * as tf from '@tensorflow/tfjs-core';
import { FfnExperts, FrequencyAdapterExperts, Module, SoftmaxRouter, applyAllExperts, deriveSeed, mixExperts, type ModuleConfig } from '@moe/core';

/** Configuration of {@link AdapterMixture}. */
export interface AdapterMixtureConfig {
  channels: number;
  adapterDim: number;
  cutoff: number;
  /** 'frequency': the experts read F, F_low, F_high; 'spatial': all three read F (3 plain adapters). */
  bands: 'frequency' | 'spatial';
  /** true: per-token softmax router; false: fixed equal weights 1/3. */
  routed: boolean;
  alpha?: number;
  seed?: number;
}

/**
 * The Earth-Adapter block with one factor switched, for the paper's own controls (vision.md §1.6, §6.4):
 * "3 spatial adapters, same d" (bands 'spatial') and "no router" (routed false). Built from the same core
 * parts with the same child names and seeds as core's FrequencyAdapterMixture, so bands 'frequency' +
 * routed true computes exactly that block (tested) and each ablation differs in one factor only.
 */
export class AdapterMixture extends Module {
  readonly kind = 'AdapterMixture';
  readonly experts: FfnExperts;
  readonly router?: SoftmaxRouter;
  private readonly settings: Required<AdapterMixtureConfig>;
  private readonly alpha: tf.Variable;

  constructor(config: AdapterMixtureConfig) {
    super();
    if (config.bands !== 'frequency' && config.bands !== 'spatial') throw new Error(`AdapterMixture: bands must be 'frequency' or 'spatial'; got ${JSON.stringify(config.bands)}`);
    this.settings = { alpha: 0.1, seed: 0, ...config };
    const { channels, adapterDim, cutoff, seed } = this.settings;
    const expertSeed = deriveSeed(seed, 'experts');
    this.experts = this.addChild(
      'experts',
      config.bands === 'frequency'
        ? new FrequencyAdapterExperts({ channels, adapterDim, cutoff, seed: expertSeed })
        : new FfnExperts({ numExperts: 3, inputDim: channels, hiddenDim: adapterDim, outputDim: channels, activation: 'relu', bias: true, seed: expertSeed }),
    );
    if (config.routed) this.router = this.addChild('router', new SoftmaxRouter({ inputDim: channels, numExperts: 3, gateBias: true, seed: deriveSeed(seed, 'router') }));
    this.alpha = this.addParam('alpha', tf.scalar(this.settings.alpha));
  }

  /** Per-token weights [T, 3] over the adapters (the router's softmax, or 1/3 each). */
  weights(tokens: tf.Tensor2D): tf.Tensor2D {
    if (!this.router) return tf.fill([tokens.shape[0], 3], 1 / 3) as tf.Tensor2D;
    const router = this.router;
    return tf.tidy(() => router.route(tokens, { training: false }).weights);
  }

  /** [B, H, W, C] → F + α · Σ_i w_i · MLP_i(input_i). */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const tokens = tf.reshape(x, [-1, this.settings.channels]) as tf.Tensor2D;
      const inputs = this.experts instanceof FrequencyAdapterExperts ? this.experts.bandInputs(x) : tokens;
      const delta = mixExperts(applyAllExperts(this.experts, inputs), this.weights(tokens));
      return tf.add(x, tf.mul(this.alpha, tf.reshape(delta, x.shape))) as tf.Tensor4D;
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

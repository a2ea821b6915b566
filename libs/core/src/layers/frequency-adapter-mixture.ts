import * as tf from '@tensorflow/tfjs-core';
import { applyAllExperts, mixExperts } from '../experts/all-experts.js';
import { checkInput, checkNumber } from '../experts/check.js';
import { FrequencyAdapterExperts, FREQUENCY_BANDS } from '../experts/frequency-adapter-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { disposeRouting } from '../routers/router.js';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { routingStats } from '../telemetry/routing-stats.js';
import type { MoeForward } from './moe-layer.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link FrequencyAdapterMixture}. */
export interface FrequencyAdapterMixtureConfig {
  channels: number;
  adapterDim: number;
  cutoff?: number;
  /** Initial residual scale α (Earth-Adapter 0.1, learnable). */
  alpha?: number;
  seed?: number;
}

/** Every key of {@link FrequencyAdapterMixtureConfig} (checked against the type by `configFields`): any other key is refused. */
export const FREQUENCY_ADAPTER_MIXTURE_FIELDS = configFields<FrequencyAdapterMixtureConfig>()(['channels', 'adapterDim', 'cutoff', 'alpha', 'seed']);

/**
 * Earth-Adapter's mixture of frequency adapters after a frozen backbone block: per token, a dense softmax
 * router (Linear C → 3, no top-k, no balance loss) weights the full-band, low-band and high-band adapters,
 * and F ← F + α · Σ_i w_i · MLP_i(band_i(F)). Input and output [B, H, W, C].
 */
export class FrequencyAdapterMixture extends Module {
  readonly kind = 'FrequencyAdapterMixture';
  readonly experts: FrequencyAdapterExperts;
  readonly router: SoftmaxRouter;
  readonly initialAlpha: number;
  readonly seed: number;
  private readonly alpha: tf.Variable;

  constructor(config: FrequencyAdapterMixtureConfig) {
    super();
    checkConfigFields('FrequencyAdapterMixture', config, FREQUENCY_ADAPTER_MIXTURE_FIELDS);
    this.seed = config.seed ?? 0;
    this.initialAlpha = config.alpha ?? 0.1;
    checkNumber('FrequencyAdapterMixture', 'alpha', this.initialAlpha);
    this.experts = this.addChild('experts', new FrequencyAdapterExperts({ channels: config.channels, adapterDim: config.adapterDim, cutoff: config.cutoff, seed: deriveSeed(this.seed, 'experts') }));
    this.router = this.addChild('router', new SoftmaxRouter({ inputDim: config.channels, numExperts: FREQUENCY_BANDS.length, gateBias: true, seed: deriveSeed(this.seed, 'router') }));
    this.alpha = this.addParam('alpha', tf.scalar(this.initialAlpha));
  }

  apply(x: tf.Tensor4D): MoeForward {
    checkInput('FrequencyAdapterMixture.apply', 'x', x, [4], this.experts.inputDim);
    const tokens = tf.reshape(x, [-1, this.experts.inputDim]) as tf.Tensor2D;
    const routing = this.router.route(tokens, { training: false });
    try {
      return tidyObject(() => {
        const y = applyAllExperts(this.experts, this.experts.bandInputs(x));
        const delta = tf.reshape(mixExperts(y, routing.weights), x.shape);
        return { output: tf.add(x, tf.mul(this.alpha, delta)), aux: { total: tf.scalar(0), parts: {} }, stats: routingStats(routing) };
      });
    } finally {
      disposeRouting(routing);
      tokens.dispose();
    }
  }

  getConfig(): ModuleConfig {
    return { channels: this.experts.inputDim, adapterDim: this.experts.spec.hiddenDim, cutoff: this.experts.cutoff, alpha: this.initialAlpha, seed: this.seed };
  }
}

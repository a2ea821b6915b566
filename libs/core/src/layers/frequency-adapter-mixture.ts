import * as tf from '@tensorflow/tfjs-core';
import { applyAllExperts, mixExperts } from '../experts/all-experts.js';
import { checkInput, checkInt, checkNumber } from '../experts/check.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { FrequencyAdapterExperts, FREQUENCY_BANDS } from '../experts/frequency-adapter-experts.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { disposeRouting, type DenseRouting, type Routing } from '../routers/router.js';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { checkBoolean, checkOneOf } from '../routers/validate.js';
import { routingStats } from '../telemetry/routing-stats.js';
import type { MoeForward } from './moe-layer.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link FrequencyAdapterMixture}. */
export interface FrequencyAdapterMixtureConfig {
  channels: number;
  adapterDim: number;
  /** Low-pass cut-off ratio r (default 0.3); recorded but unused with bands 'spatial'. */
  cutoff?: number;
  /** Initial residual scale α (Earth-Adapter 0.1, learnable). */
  alpha?: number;
  seed?: number;
  /**
   * What the three adapters read. 'frequency' (default): F, F_low, F_high (Earth-Adapter). 'spatial': F
   * each, i.e. three plain ReLU adapters (the paper's "3 spatial adapters, same d" control).
   */
  bands?: 'frequency' | 'spatial';
  /** true (default): a per-token softmax router weights the adapters; false: fixed weights 1/3, no router (the "no router" control). */
  routed?: boolean;
}

/** Every key of {@link FrequencyAdapterMixtureConfig} (checked against the type by `configFields`): any other key is refused. */
export const FREQUENCY_ADAPTER_MIXTURE_FIELDS = configFields<FrequencyAdapterMixtureConfig>()(['channels', 'adapterDim', 'cutoff', 'alpha', 'seed', 'bands', 'routed']);

const OWNER = 'FrequencyAdapterMixture';

/**
 * Earth-Adapter's mixture of frequency adapters after a frozen backbone block: per token, a dense softmax
 * router (Linear C → 3, no top-k, no balance loss) weights the full-band, low-band and high-band adapters,
 * and F ← F + α · Σ_i w_i · MLP_i(band_i(F)). Input and output [B, H, W, C].
 *
 * Two switches give the paper's controls, each changing one factor with the same child names and seeds:
 * `bands: 'spatial'` makes all three adapters read F, and `routed: false` drops the router for fixed weights
 * 1/3. Without a router the forward's `stats` describe those fixed weights as a dense routing (every token
 * 1/3 to each adapter: counts T/3, entropy ln 3), so callers read and dispose both forms alike; `aux` is
 * zero in every form (the block has no auxiliary loss).
 */
export class FrequencyAdapterMixture extends Module {
  readonly kind = 'FrequencyAdapterMixture';
  /** A {@link FrequencyAdapterExperts} with bands 'frequency'; three plain ReLU {@link FfnExperts} with 'spatial'. */
  readonly experts: FfnExperts;
  /** Undefined with `routed: false`. */
  readonly router: SoftmaxRouter | undefined;
  readonly bands: 'frequency' | 'spatial';
  readonly routed: boolean;
  readonly cutoff: number;
  readonly initialAlpha: number;
  readonly seed: number;
  private readonly alpha: tf.Variable;

  constructor(config: FrequencyAdapterMixtureConfig) {
    super();
    // Everything is checked before the first variable exists, so a refused config leaks nothing.
    checkConfigFields(OWNER, config, FREQUENCY_ADAPTER_MIXTURE_FIELDS);
    const { channels, adapterDim } = config;
    checkInt(OWNER, 'channels', channels);
    checkInt(OWNER, 'adapterDim', adapterDim);
    this.cutoff = config.cutoff ?? 0.3;
    checkNumber(OWNER, 'cutoff', this.cutoff, 0, 1);
    this.seed = config.seed ?? 0;
    this.initialAlpha = config.alpha ?? 0.1;
    checkNumber(OWNER, 'alpha', this.initialAlpha);
    this.bands = config.bands ?? 'frequency';
    checkOneOf(OWNER, 'bands', this.bands, ['frequency', 'spatial'] as const);
    this.routed = config.routed ?? true;
    checkBoolean(OWNER, 'routed', this.routed);
    const expertSeed = deriveSeed(this.seed, 'experts');
    this.experts = this.addChild(
      'experts',
      this.bands === 'frequency'
        ? new FrequencyAdapterExperts({ channels, adapterDim, cutoff: this.cutoff, seed: expertSeed })
        : new FfnExperts({ numExperts: FREQUENCY_BANDS.length, inputDim: channels, hiddenDim: adapterDim, outputDim: channels, activation: 'relu', bias: true, seed: expertSeed }),
    );
    this.router = this.routed ? this.addChild('router', new SoftmaxRouter({ inputDim: channels, numExperts: FREQUENCY_BANDS.length, gateBias: true, seed: deriveSeed(this.seed, 'router') })) : undefined;
    this.alpha = this.addParam('alpha', tf.scalar(this.initialAlpha));
  }

  apply(x: tf.Tensor4D): MoeForward {
    checkInput('FrequencyAdapterMixture.apply', 'x', x, [4], this.experts.inputDim);
    const tokens = tf.reshape(x, [-1, this.experts.inputDim]) as tf.Tensor2D;
    const routing = this.route(tokens);
    try {
      return tidyObject(() => {
        const inputs = this.experts instanceof FrequencyAdapterExperts ? this.experts.bandInputs(x) : tokens;
        const y = applyAllExperts(this.experts, inputs);
        const delta = tf.reshape(mixExperts(y, routing.weights), x.shape);
        return { output: tf.add(x, tf.mul(this.alpha, delta)), aux: { total: tf.scalar(0), parts: {} }, stats: routingStats(routing) };
      });
    } finally {
      disposeRouting(routing);
      tokens.dispose();
    }
  }

  /** The router's dense routing of `tokens`, or without a router the fixed weights 1/3 as one (logits 0). */
  private route(tokens: tf.Tensor2D): Routing {
    if (this.router) return this.router.route(tokens, { training: false });
    const shape: [number, number] = [tokens.shape[0], FREQUENCY_BANDS.length];
    const fixed = (): tf.Tensor2D => tf.fill(shape, 1 / 3) as tf.Tensor2D;
    const routing: DenseRouting = { mode: 'dense', weights: fixed(), probs: fixed(), logits: tf.zeros(shape) as tf.Tensor2D, aux: { total: tf.scalar(0), parts: {} } };
    return routing;
  }

  getConfig(): ModuleConfig {
    // The switches appear only off their defaults, so the config of an Earth-Adapter block (and every spec
    // saved from one) is exactly what it was before they existed.
    return {
      channels: this.experts.inputDim,
      adapterDim: this.experts.spec.hiddenDim,
      cutoff: this.cutoff,
      alpha: this.initialAlpha,
      seed: this.seed,
      ...(this.bands !== 'frequency' ? { bands: this.bands } : {}),
      ...(!this.routed ? { routed: this.routed } : {}),
    };
  }
}

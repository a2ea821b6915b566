import * as tf from '@tensorflow/tfjs-core';
import { frequencySplit } from '@moe/kernels';
import type { ModuleConfig } from '../module/module.js';
import { checkInput, checkInt, checkNumber } from './check.js';
import { FfnExperts } from './ffn-experts.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** The bands the three experts read, in expert order (Earth-Adapter: MLP1(F), MLP2(F_low), MLP3(F_high)). */
export const FREQUENCY_BANDS = ['full', 'low', 'high'] as const;

/** Configuration of {@link FrequencyAdapterExperts}. */
export interface FrequencyAdapterExpertsConfig {
  /** Channels C of the feature maps (the token width). */
  channels: number;
  /** Bottleneck width of each adapter MLP (C → d → C). */
  adapterDim: number;
  /** Cut-off ratio r of the square low-pass (Earth-Adapter 0.3; k = ⌊min(H,W)·r/2⌋). Default 0.3. */
  cutoff?: number;
  seed?: number;
}

/** Every key of {@link FrequencyAdapterExpertsConfig} (checked against the type by `configFields`): any other key is refused. */
export const FREQUENCY_ADAPTER_EXPERTS_FIELDS = configFields<FrequencyAdapterExpertsConfig>()(['channels', 'adapterDim', 'cutoff', 'seed']);

/**
 * Earth-Adapter's frequency-band experts: three ReLU adapter MLPs C → d → C, the first reading the feature
 * map itself, the second its low-frequency band and the third its high-frequency band (exact split by the
 * kernels' `frequencySplit`). Maps are `[B, H, W, C]`; `bandInputs` lays the three bands out expert-major as
 * `[3, B·H·W, C]` for one grouped pass (`applyAllExperts`).
 */
export class FrequencyAdapterExperts extends FfnExperts {
  override readonly kind: string = 'FrequencyAdapterExperts';
  readonly cutoff: number;

  constructor(config: FrequencyAdapterExpertsConfig) {
    const owner = 'FrequencyAdapterExperts';
    checkConfigFields(owner, config, FREQUENCY_ADAPTER_EXPERTS_FIELDS);
    checkInt(owner, 'channels', config.channels);
    checkInt(owner, 'adapterDim', config.adapterDim);
    const cutoff = config.cutoff ?? 0.3;
    checkNumber(owner, 'cutoff', cutoff, 0, 1);
    super({ numExperts: FREQUENCY_BANDS.length, inputDim: config.channels, hiddenDim: config.adapterDim, outputDim: config.channels, activation: 'relu', bias: true, zeroOutput: false, scale: 1, seed: config.seed ?? 0 }, owner);
    this.cutoff = cutoff;
  }

  /** Shape `[3, B·H·W, C]`: the map, its low band and its high band, each flattened to tokens. */
  bandInputs(x: tf.Tensor4D): tf.Tensor3D {
    checkInput(`${this.kind}.bandInputs`, 'x', x, [4], this.spec.inputDim);
    return tf.tidy(() => {
      const { low, high } = frequencySplit(x, this.cutoff);
      const c = this.spec.inputDim;
      return tf.stack([tf.reshape(x, [-1, c]), tf.reshape(low, [-1, c]), tf.reshape(high, [-1, c])]) as tf.Tensor3D;
    });
  }

  override getConfig(): ModuleConfig {
    return { channels: this.spec.inputDim, adapterDim: this.spec.hiddenDim, cutoff: this.cutoff, seed: this.spec.seed };
  }
}

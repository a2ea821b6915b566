import { deriveSeed, type ModuleConfig } from '@moe/core';
import { MixtureMethod } from './mixture-method.js';

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
export class EarthAdapter extends MixtureMethod {
  readonly kind = 'EarthAdapter';
  readonly method = 'earth-adapter' as const;
  private readonly settings: Required<EarthAdapterConfig>;

  constructor(config: EarthAdapterConfig) {
    super();
    this.settings = { seed: 0, ...config };
    const { channels, adapterDim, cutoff, seed } = this.settings;
    this.addLayers(config.depth, (l) => ({ channels, adapterDim, cutoff, alpha: 0.1, seed: deriveSeed(seed, `layer${l}`) }));
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

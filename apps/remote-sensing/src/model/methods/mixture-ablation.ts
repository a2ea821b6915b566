import { deriveSeed, type ModuleConfig } from '@moe/core';
import { MixtureMethod } from './mixture-method.js';

/** Configuration of {@link MixtureAblation}. */
export interface MixtureAblationConfig {
  method: 'spatial-mixture' | 'frequency-no-router';
  channels: number;
  depth: number;
  adapterDim: number;
  cutoff: number;
  seed?: number;
}

/**
 * The paper's controls of Earth-Adapter (vision.md §1.6, §6.4), each one switch of core's
 * FrequencyAdapterMixture after every block (same placement, d, α init, child names and seeds):
 * 'spatial-mixture' = `bands: 'spatial'` (3 spatial adapters, same d), 'frequency-no-router' =
 * `routed: false` (fixed weights 1/3).
 */
export class MixtureAblation extends MixtureMethod {
  readonly kind = 'MixtureAblation';
  readonly method: 'spatial-mixture' | 'frequency-no-router';
  private readonly settings: Required<MixtureAblationConfig>;

  constructor(config: MixtureAblationConfig) {
    super();
    this.settings = { seed: 0, ...config };
    this.method = config.method;
    const { channels, adapterDim, cutoff, seed } = this.settings;
    const switches = config.method === 'spatial-mixture' ? { bands: 'spatial' as const } : { routed: false };
    this.addLayers(config.depth, (l) => ({ channels, adapterDim, cutoff, alpha: 0.1, ...switches, seed: deriveSeed(seed, `layer${l}`) }));
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

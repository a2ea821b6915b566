import type { ModuleConfig } from '../module/module.js';
import { checkActivation, type ExpertActivation } from './activation.js';
import { checkInt } from './check.js';
import { FfnExperts } from './ffn-experts.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link BottleneckAdapters}. */
export interface BottleneckAdaptersConfig {
  numExperts: number;
  /** Model width d (adapters map d → d). */
  inputDim: number;
  /** Bottleneck width m ≪ d. */
  bottleneckDim: number;
  /** Default 'relu' (Houlsby / MixDA adapters). */
  activation?: ExpertActivation;
  seed?: number;
}

/** Every key of {@link BottleneckAdaptersConfig} (checked against the type by `configFields`): any other key is refused. */
export const BOTTLENECK_ADAPTERS_FIELDS = configFields<BottleneckAdaptersConfig>()(['numExperts', 'inputDim', 'bottleneckDim', 'activation', 'seed']);

/**
 * Bottleneck adapters as experts (MixDA's domain adapters): down-project d → m, activation, up-project
 * m → d, with the up-projection zero-initialised so a fresh adapter adds nothing to the frozen model.
 * Used beside a frozen FFN (`MixtureOfAdapters`), whose output carries the residual.
 */
export class BottleneckAdapters extends FfnExperts {
  override readonly kind: string = 'BottleneckAdapters';

  constructor(config: BottleneckAdaptersConfig) {
    checkConfigFields('BottleneckAdapters', config, BOTTLENECK_ADAPTERS_FIELDS);
    checkInt('BottleneckAdapters', 'bottleneckDim', config.bottleneckDim);
    const activation = config.activation ?? 'relu';
    checkActivation('BottleneckAdapters', 'activation', activation);
    super(
      { numExperts: config.numExperts, inputDim: config.inputDim, hiddenDim: config.bottleneckDim, outputDim: config.inputDim, activation, bias: true, zeroOutput: true, scale: 1, seed: config.seed ?? 0 },
      'BottleneckAdapters',
    );
  }

  override getConfig(): ModuleConfig {
    const s = this.spec;
    return { numExperts: s.numExperts, inputDim: s.inputDim, bottleneckDim: s.hiddenDim, activation: s.activation, seed: s.seed };
  }
}

import type { ModuleConfig } from '../module/module.js';
import { checkInt, checkNumber } from './check.js';
import { FfnExperts } from './ffn-experts.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link LoraExperts}. */
export interface LoraExpertsConfig {
  numExperts: number;
  /** Input width of the frozen base linear the experts adapt. */
  inputDim: number;
  /** Output width of that base linear (default inputDim). */
  outputDim?: number;
  /** LoRA rank r of each expert. */
  rank: number;
  /** LoRA alpha; the update is scaled by alpha / rank (default alpha = rank, scale 1). */
  alpha?: number;
  seed?: number;
}

/** Every key of {@link LoraExpertsConfig} (checked against the type by `configFields`): any other key is refused. */
export const LORA_EXPERTS_FIELDS = configFields<LoraExpertsConfig>()(['numExperts', 'inputDim', 'outputDim', 'rank', 'alpha', 'seed']);

/**
 * E LoRA experts ΔW_e = A_e·B_e (A: [E, d, r], B: [E, r, o], stored as w1 / w2), the update of a frozen base
 * linear (X-LoRA, MixLoRA, LoRAMoE). The bank outputs only the update scaled by alpha/r; the base output is
 * added once, outside the expert mixture (`MixtureOfAdapters`), as MixLoRA does. B starts at zero, so the
 * adapted layer starts equal to the base.
 */
export class LoraExperts extends FfnExperts {
  override readonly kind: string = 'LoraExperts';
  readonly rank: number;
  readonly alpha: number;

  constructor(config: LoraExpertsConfig, owner = 'LoraExperts') {
    checkConfigFields(owner, config, LORA_EXPERTS_FIELDS);
    checkInt(owner, 'rank', config.rank);
    const alpha = config.alpha ?? config.rank;
    checkNumber(owner, 'alpha', alpha, 0);
    super(
      { numExperts: config.numExperts, inputDim: config.inputDim, hiddenDim: config.rank, outputDim: config.outputDim ?? config.inputDim, activation: 'identity', bias: false, zeroOutput: true, scale: alpha / config.rank, seed: config.seed ?? 0 },
      owner,
    );
    this.rank = config.rank;
    this.alpha = alpha;
  }

  override getConfig(): ModuleConfig {
    const s = this.spec;
    return { numExperts: s.numExperts, inputDim: s.inputDim, outputDim: s.outputDim, rank: this.rank, alpha: this.alpha, seed: s.seed };
  }
}

import type { ModuleConfig } from '../module/module.js';
import { LoraExperts } from './lora-experts.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link RankOneExperts}. */
export interface RankOneExpertsConfig {
  /** Number of rank-one experts (= the total LoRA rank that gets partitioned into experts). */
  numExperts: number;
  inputDim: number;
  outputDim?: number;
  /** Scale of each rank's update (SMoRA: alpha; the router's weights pick and weight the ranks). Default 1. */
  alpha?: number;
  seed?: number;
}

/** Every key of {@link RankOneExpertsConfig} (checked against the type by `configFields`): any other key is refused. */
export const RANK_ONE_EXPERTS_FIELDS = configFields<RankOneExpertsConfig>()(['numExperts', 'inputDim', 'outputDim', 'alpha', 'seed']);

/**
 * SMoRA / MoRA: every rank of one LoRA update is its own expert, ΔW_e = a_e·b_eᵀ (a_e ∈ R^d, b_e ∈ R^o),
 * so routing top-k of E experts activates k ranks. A LoRA bank of rank 1 per expert.
 */
export class RankOneExperts extends LoraExperts {
  override readonly kind: string = 'RankOneExperts';

  constructor(config: RankOneExpertsConfig) {
    checkConfigFields('RankOneExperts', config, RANK_ONE_EXPERTS_FIELDS);
    super({ numExperts: config.numExperts, inputDim: config.inputDim, outputDim: config.outputDim, rank: 1, alpha: config.alpha ?? 1, seed: config.seed }, 'RankOneExperts');
  }

  override getConfig(): ModuleConfig {
    const s = this.spec;
    return { numExperts: s.numExperts, inputDim: s.inputDim, outputDim: s.outputDim, alpha: this.alpha, seed: s.seed };
  }
}

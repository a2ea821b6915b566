import { checkBoolean, checkInt, checkNumber } from './validate.js';

/** Capacity options of token-choice routers (the layer applies the capacity through its dispatch plan). */
export interface CapacityConfig {
  /** Training capacity factor (Switch 1.25). */
  capacityFactor?: number;
  /** Evaluation capacity factor (Switch 2.0): serving drops fewer tokens than training. */
  evalCapacityFactor?: number;
  /** Lower bound of the capacity (flaxformer `min_expert_capacity` 4). */
  minCapacity?: number;
  /** No capacity limit: every routed slot is computed (MegaBlocks dMoE, Tutel cf=0). */
  dropless?: boolean;
}

export type ResolvedCapacity = Required<CapacityConfig>;

export function resolveCapacity(owner: string, config: CapacityConfig, defaults: ResolvedCapacity): ResolvedCapacity {
  const r: ResolvedCapacity = {
    capacityFactor: config.capacityFactor ?? defaults.capacityFactor,
    evalCapacityFactor: config.evalCapacityFactor ?? defaults.evalCapacityFactor,
    minCapacity: config.minCapacity ?? defaults.minCapacity,
    dropless: config.dropless ?? defaults.dropless,
  };
  checkNumber(owner, 'capacityFactor', r.capacityFactor, 0, Infinity, true);
  checkNumber(owner, 'evalCapacityFactor', r.evalCapacityFactor, 0, Infinity, true);
  checkInt(owner, 'minCapacity', r.minCapacity, 0);
  checkBoolean(owner, 'dropless', r.dropless);
  return r;
}

/**
 * Per-expert capacity C = min(T, max(minCapacity, ⌈cf · slotsPerToken · T / E⌉)) — DeepSpeed's form with
 * k' = slots per token, which is Switch's ⌈cf·T/E⌉ for top-1. Capped at T because a token never picks one
 * expert twice. undefined when dropless.
 */
export function tokenChoiceCapacity(cap: ResolvedCapacity, numTokens: number, slotsPerToken: number, numExperts: number, training: boolean): number | undefined {
  checkInt('capacity', 'numTokens', numTokens);
  if (cap.dropless) return undefined;
  const cf = training ? cap.capacityFactor : cap.evalCapacityFactor;
  return Math.min(numTokens, Math.max(cap.minCapacity, Math.ceil((cf * slotsPerToken * numTokens) / numExperts)));
}

export const CAPACITY_FIELDS = ['capacityFactor', 'evalCapacityFactor', 'minCapacity', 'dropless'] as const;

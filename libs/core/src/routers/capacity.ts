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

/** Switch / flaxformer defaults: capacity factor 1.25 in training, 2.0 in evaluation, at least 4 rows. */
const SWITCH_CAPACITY = { capacityFactor: 1.25, evalCapacityFactor: 2, minCapacity: 4 } as const;

/**
 * A router's capacity options, validated: the fields set in `config`, else the Switch defaults; `dropless`
 * defaults to `droplessByDefault` (true for routers whose number of experts per token varies).
 */
export function resolveCapacity(owner: string, config: CapacityConfig, droplessByDefault: boolean): ResolvedCapacity {
  const r: ResolvedCapacity = {
    capacityFactor: config.capacityFactor ?? SWITCH_CAPACITY.capacityFactor,
    evalCapacityFactor: config.evalCapacityFactor ?? SWITCH_CAPACITY.evalCapacityFactor,
    minCapacity: config.minCapacity ?? SWITCH_CAPACITY.minCapacity,
    dropless: config.dropless ?? droplessByDefault,
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

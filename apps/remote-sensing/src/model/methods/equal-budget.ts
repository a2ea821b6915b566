import { LORA_SITES, loraSiteOutput } from './lora-method.js';
import type { MethodKind } from './method-kind.js';

/** The backbone shape the adapter sizes depend on. */
export interface BudgetShape {
  channels: number;
  depth: number;
  mlpRatio: number;
}

/** Rein's token count m is fixed (as in Rein: 100); its rank is what the budget sizes. */
export const REIN_TOKENS = 100;

/** Each method's one free size: the adapter width d, Rein's/LoRA's rank, the bottleneck width. */
export type MethodSize = { kind: MethodKind; size: number };

/**
 * Added (trainable, non-head) parameters of a method at a given size, in closed form. The spec checks each
 * formula against the instantiated module's countParams, so the budget matching below cannot drift.
 */
export function addedParams(kind: MethodKind, size: number, s: BudgetShape): number {
  const { channels: c, depth: L, mlpRatio } = s;
  const adapter = (d: number): number => 2 * c * d + d + c; // C→d→C with biases
  switch (kind) {
    case 'earth-adapter':
    case 'spatial-mixture':
      return L * (3 * adapter(size) + 3 * c + 3 + 1); // 3 adapters + router Linear(C,3) + α
    case 'frequency-no-router':
      return L * (3 * adapter(size) + 1);
    case 'rein':
      return L * (REIN_TOKENS * size + size * c) + 2 * (c * c + c) + 1;
    case 'lora':
      return L * LORA_SITES.reduce((n, site) => n + size * (c + loraSiteOutput(site, c, mlpRatio)), 0);
    case 'bottleneck':
      return L * adapter(size);
    case 'head-only':
    case 'full-finetune':
      return 0;
  }
}

/**
 * The size whose added-parameter count is nearest to `budget` (sizes 1…512), so every adapter method gets
 * the same trainable budget as Earth-Adapter at its reference width. Head-only and full fine-tuning have
 * no size (0).
 */
export function sizeForBudget(kind: MethodKind, budget: number, s: BudgetShape): number {
  if (kind === 'head-only' || kind === 'full-finetune') return 0;
  let best = 1;
  for (let size = 1; size <= 512; size++) {
    if (Math.abs(addedParams(kind, size, s) - budget) < Math.abs(addedParams(kind, best, s) - budget)) best = size;
  }
  return best;
}

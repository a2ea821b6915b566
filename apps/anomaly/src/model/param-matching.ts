import { countModelParams, type AnomalyModelConfig } from './anomaly-model.js';
import { METHOD_NAMES, type MethodName } from './methods.js';

/**
 * The encoder width that brings `method` closest to `targetParams` trainable parameters, other settings fixed
 * (reference vision.md §6.4: baselines at the capacity of the method they are compared with).
 */
export function matchHiddenDim(base: Omit<AnomalyModelConfig, 'hiddenDim'>, targetParams: number, range: [number, number] = [4, 256]): number {
  let best = range[0];
  let bestGap = Infinity;
  for (let h = range[0]; h <= range[1]; h++) {
    const gap = Math.abs(countModelParams({ ...base, hiddenDim: h }) - targetParams);
    if (gap < bestGap) {
      best = h;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * One configuration per method at matched capacity: GS-MoE at `reference.hiddenDim` sets the parameter budget
 * and every other method gets the encoder width that comes closest to it.
 */
export function matchedConfigs(reference: Omit<AnomalyModelConfig, 'method'>, methods: readonly MethodName[] = METHOD_NAMES): Record<MethodName, AnomalyModelConfig> {
  const target = countModelParams({ ...reference, method: 'gsmoe' });
  const out = {} as Record<MethodName, AnomalyModelConfig>;
  for (const method of methods) {
    const base = { ...reference, method };
    out[method] = { ...base, hiddenDim: method === 'gsmoe' || method === 'gsmoe-no-tgs' ? reference.hiddenDim : matchHiddenDim(base, target) };
  }
  return out;
}

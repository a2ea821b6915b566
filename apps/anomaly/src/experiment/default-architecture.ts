import type { AnomalyModelConfig } from '../model/anomaly-model.js';

/**
 * The sizes every experiment uses (GS-MoE's encoder width; the other methods are matched to its parameter
 * count): small enough to train in seconds per epoch on a shared 2-core machine.
 */
export const DEFAULT_ARCHITECTURE: Omit<AnomalyModelConfig, 'method' | 'inputDim' | 'classes' | 'seed'> = {
  hiddenDim: 32,
  headHidden: 16,
  memorySlots: 16,
};

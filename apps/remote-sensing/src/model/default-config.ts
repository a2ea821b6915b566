import type { VitBackboneConfig } from '@moe/vision';
import { NUM_SCENE_CLASSES } from '../data/scene-classes.js';

/**
 * The backbone every method shares, sized for a 2-core CPU: 64×64 tiles, 8×8 patches → an 8×8 token grid
 * (the smallest grid with a non-zero Earth-Adapter cut-off at r = 0.3: k = ⌊8·0.3/2⌋ = 1, the same 1/16 of
 * the spectrum as the paper's 32×32 grid at r = 0.3), width 64, 4 blocks, 4 heads, layer scale 0.1.
 */
export const DEFAULT_BACKBONE: Omit<VitBackboneConfig, 'pixelMean' | 'pixelStd'> = {
  imageSize: 64,
  patchSize: 8,
  channels: 3,
  embedDim: 64,
  depth: 4,
  heads: 4,
  mlpRatio: 4,
  layerScaleInit: 0.1,
  seed: 20260,
};

export const DEFAULT_HEAD = { hiddenDim: 64, numClasses: NUM_SCENE_CLASSES, seed: 20261 };

/** Earth-Adapter's reference setting; its added-parameter count is every adapter method's budget. */
export const REFERENCE_ADAPTER_DIM = 8;
export const DEFAULT_CUTOFF = 0.3;

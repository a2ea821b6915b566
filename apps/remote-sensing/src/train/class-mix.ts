import type { Rng } from '@moe/runtime';
import { IGNORE_LABEL } from '../data/tile-set.js';

/**
 * ClassMix masks (DACS, vision.md §1.4): for each source tile pick ⌈n/2⌉ of the n classes present in its
 * label at random; the mask is 1 where the source pixel belongs to a picked class. Returns B·S·S floats.
 */
export function classMixMasks(sourceLabels: Uint8Array, batch: number, pixels: number, rng: Rng): Float32Array {
  const mask = new Float32Array(batch * pixels);
  for (let b = 0; b < batch; b++) {
    const row = sourceLabels.subarray(b * pixels, (b + 1) * pixels);
    const present = [...new Set(row)].filter((c) => c !== IGNORE_LABEL);
    for (let i = present.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [present[i], present[j]] = [present[j], present[i]];
    }
    const picked = new Set(present.slice(0, Math.ceil(present.length / 2)));
    for (let p = 0; p < pixels; p++) mask[b * pixels + p] = picked.has(row[p]) ? 1 : 0;
  }
  return mask;
}

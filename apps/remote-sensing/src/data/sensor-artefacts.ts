import type { Rng } from '@moe/runtime';
import { fbmNoise } from './value-noise.js';

/**
 * Remote-sensing artefacts of vision.md §4 on one s×s×c tile (HWC in [0, 1], modified in place):
 * column stripe noise and fBm clouds with shadows. Written here because @moe/vision's artefact functions
 * had not landed when this app was built.
 */

/** Stripe noise y = x + s + n on a fraction of columns: periodic (every p-th) or random columns, ±intensity. */
export function addStripes(img: Float32Array, s: number, c: number, rng: Rng, options: { periodic: boolean; intensity: number; ratio: number }): void {
  const period = 5 + rng.nextInt(6);
  for (let x = 0; x < s; x++) {
    const hit = options.periodic ? x % period === 0 : rng.next() < options.ratio;
    if (!hit) continue;
    const offset = (rng.next() < 0.5 ? -1 : 1) * options.intensity;
    for (let y = 0; y < s; y++) for (let k = 0; k < c; k++) img[(y * s + x) * c + k] += offset + 0.01 * rng.nextNormal();
  }
}

/** I = J·(1−α) + C·α with α an fBm field between `minLevel` and `maxLevel`, plus a shifted darkening shadow. */
export function addClouds(img: Float32Array, s: number, c: number, rng: Rng, options: { coverage: number; shadow: number }): void {
  const field = fbmNoise(s, 2, 3, rng);
  const threshold = 1 - options.coverage;
  const dx = 2 + rng.nextInt(4);
  const dy = 2 + rng.nextInt(4);
  const alpha = new Float32Array(s * s);
  for (let i = 0; i < s * s; i++) alpha[i] = Math.min(1, Math.max(0, (field[i] - threshold) / 0.25)) * 0.85;
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const i = y * s + x;
      const sy = Math.min(s - 1, y + dy);
      const sx = Math.min(s - 1, x + dx);
      const shade = 1 - options.shadow * alpha[sy * s + sx];
      for (let k = 0; k < c; k++) img[i * c + k] = (img[i * c + k] * shade) * (1 - alpha[i]) + 0.92 * alpha[i];
    }
  }
}

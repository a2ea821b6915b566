import type { Rng } from '@moe/runtime';

/**
 * Smooth noise in [0, 1] on an s×s grid: bilinear interpolation of a random lattice with `cells` cells per
 * side, summed over `octaves` (fBm, gain 0.5, lacunarity 2) and rescaled to its own min…max.
 */
export function fbmNoise(s: number, cells: number, octaves: number, rng: Rng): Float32Array {
  const out = new Float32Array(s * s);
  let amp = 1;
  let c = cells;
  for (let o = 0; o < octaves; o++, amp /= 2, c *= 2) {
    const n = c + 1;
    const lattice = Float32Array.from({ length: n * n }, () => rng.next());
    for (let y = 0; y < s; y++) {
      const fy = (y / s) * c;
      const y0 = Math.floor(fy);
      const ty = fy - y0;
      for (let x = 0; x < s; x++) {
        const fx = (x / s) * c;
        const x0 = Math.floor(fx);
        const tx = fx - x0;
        const a = lattice[y0 * n + x0] * (1 - tx) + lattice[y0 * n + x0 + 1] * tx;
        const b = lattice[(y0 + 1) * n + x0] * (1 - tx) + lattice[(y0 + 1) * n + x0 + 1] * tx;
        out[y * s + x] += amp * (a * (1 - ty) + b * ty);
      }
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - lo) / span;
  return out;
}

import { createRng, type Rng } from '@moe/runtime';
import { argError, checkInt, checkKnownKeys, checkNumber } from '../args/check-args.js';

export interface FbmOptions {
  /** Number of octaves summed (each twice the frequency of the previous); default 6. */
  readonly octaves?: number;
  /** Amplitude ratio between successive octaves (0.5 = classic 1/f "pink" fBm; higher = rougher); default 0.5. */
  readonly persistence?: number;
  /** Period of the coarsest octave in pixels; default max(width, height) / 2. */
  readonly scale?: number;
}

/** Quintic fade 6t⁵ − 15t⁴ + 10t³ (Perlin's improved curve): C² continuous, so octaves show no grid creases. */
const fade = (t: number): number => t * t * t * (t * (t * 6 - 15) + 10);

/**
 * Fractal Brownian motion: a sum of octaves of gradient (Perlin-style) noise on random lattices, normalised
 * to [0, 1]. Seeded through @moe/runtime's generator, so the same seed gives the same field everywhere.
 * Used for cloud opacity, region boundaries and textures.
 */
export function fbmNoise(width: number, height: number, seed: number | Rng, options: FbmOptions = {}): Float32Array {
  const fn = 'fbmNoise';
  checkInt(fn, 'width', width, 1);
  checkInt(fn, 'height', height, 1);
  checkKnownKeys(fn, 'options', options, ['octaves', 'persistence', 'scale']);
  const octaves = options.octaves ?? 6;
  const persistence = options.persistence ?? 0.5;
  const scale = options.scale ?? Math.max(width, height) / 2;
  checkInt(fn, 'options.octaves', octaves, 1, 16);
  checkNumber(fn, 'options.persistence', persistence, 0.05, 1);
  checkNumber(fn, 'options.scale', scale, 1);
  if (typeof seed !== 'number' && (typeof seed !== 'object' || seed === null || typeof seed.next !== 'function')) throw argError(fn, 'seed', 'an integer seed or an Rng', seed);
  const rng = typeof seed === 'number' ? createRng(seed) : seed;
  const out = new Float32Array(width * height);
  let amplitude = 1;
  for (let o = 0; o < octaves; o++) {
    const period = scale / 2 ** o;
    if (period < 1) break;
    const gw = Math.ceil(width / period) + 2;
    const gh = Math.ceil(height / period) + 2;
    // Random unit gradients on the lattice.
    const gx = new Float32Array(gw * gh);
    const gy = new Float32Array(gw * gh);
    for (let i = 0; i < gw * gh; i++) {
      const a = rng.next() * 2 * Math.PI;
      gx[i] = Math.cos(a);
      gy[i] = Math.sin(a);
    }
    // A random sub-cell offset per octave so lattice points of octaves do not line up.
    const ox = rng.next();
    const oy = rng.next();
    for (let y = 0; y < height; y++) {
      const fy = y / period + oy;
      const y0 = Math.floor(fy);
      const ty = fy - y0;
      const v = fade(ty);
      for (let x = 0; x < width; x++) {
        const fx = x / period + ox;
        const x0 = Math.floor(fx);
        const tx = fx - x0;
        const u = fade(tx);
        const i00 = y0 * gw + x0;
        const n00 = gx[i00] * tx + gy[i00] * ty;
        const n10 = gx[i00 + 1] * (tx - 1) + gy[i00 + 1] * ty;
        const n01 = gx[i00 + gw] * tx + gy[i00 + gw] * (ty - 1);
        const n11 = gx[i00 + gw + 1] * (tx - 1) + gy[i00 + gw + 1] * (ty - 1);
        const nx0 = n00 + u * (n10 - n00);
        const nx1 = n01 + u * (n11 - n01);
        out[y * width + x] += amplitude * (nx0 + v * (nx1 - nx0));
      }
    }
    amplitude *= persistence;
  }
  return normaliseInPlace(out);
}

/** Rescales values to [0, 1] in place (a constant field becomes 0.5). */
export function normaliseInPlace(data: Float32Array): Float32Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < data.length; i++) data[i] = span > 0 ? (data[i] - lo) / span : 0.5;
  return data;
}

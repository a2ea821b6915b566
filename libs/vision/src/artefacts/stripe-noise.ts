import { argError, checkKnownKeys, checkNumber, checkOneOf, checkRange } from '../args/check-args.js';
import { drawIntRange, drawRange, seededRng } from '../args/seeded-rng.js';
import { checkRasterImage, type RasterImage } from '../image/raster-image.js';

/**
 * Push-broom / whisk-broom detector stripes (vision.md §4). 'non-periodic': r·W random lines get ±I (half
 * each), 'periodic': every p-th line gets ±I, 'gain-offset': every line gets its own y = g·x + o. Gaussian
 * noise N(0, σ²) is added everywhere for the two additive kinds, as in the destriping literature.
 */
export type StripeKind = 'non-periodic' | 'periodic' | 'gain-offset';

export interface StripeNoiseOptions {
  readonly kind?: StripeKind;
  /** Fraction r of lines striped (non-periodic); default [0.1, 0.3]. */
  readonly ratio?: readonly [number, number];
  /** Stripe amplitude I in [0, 1] units (additive kinds); default [0.1, 0.3]. */
  readonly intensity?: readonly [number, number];
  /** Period p in lines (periodic); default [5, 10]. */
  readonly period?: readonly [number, number];
  /** Per-line gain g and offset o (gain-offset); defaults [0.8, 1.2] and [−0.05, 0.05]. */
  readonly gain?: readonly [number, number];
  readonly offset?: readonly [number, number];
  /** σ of the additive Gaussian noise; default 0.01. */
  readonly noiseStd?: number;
  /** 'columns' (default, along-track detectors) or 'rows'. */
  readonly direction?: 'columns' | 'rows';
  /** Independent stripes per band (default true: each band has its own detector array). */
  readonly perBand?: boolean;
}

export interface StripeNoiseResult {
  readonly image: RasterImage;
  /** Per band × line: the additive offset (additive kinds) or the offset o (gain-offset), [band · lines + line]. */
  readonly lineOffset: Float32Array;
  /** Per band × line gain (1 for the additive kinds). */
  readonly lineGain: Float32Array;
  readonly kind: StripeKind;
}

export const STRIPE_DEFAULTS = { ratio: [0.1, 0.3], intensity: [0.1, 0.3], period: [5, 10], gain: [0.8, 1.2], offset: [-0.05, 0.05], noiseStd: 0.01 } as const;

/** Adds stripe noise to `img` (values clamped to [0, 1]); seeded. */
export function addStripeNoise(img: RasterImage, seed: number, options: StripeNoiseOptions = {}): StripeNoiseResult {
  const fn = 'addStripeNoise';
  checkRasterImage(fn, 'img', img);
  checkKnownKeys(fn, 'options', options, ['kind', 'ratio', 'intensity', 'period', 'gain', 'offset', 'noiseStd', 'direction', 'perBand']);
  const kind = options.kind ?? 'non-periodic';
  checkOneOf(fn, 'options.kind', kind, ['non-periodic', 'periodic', 'gain-offset']);
  const direction = options.direction ?? 'columns';
  checkOneOf(fn, 'options.direction', direction, ['columns', 'rows']);
  const ratio = options.ratio ?? STRIPE_DEFAULTS.ratio;
  const intensity = options.intensity ?? STRIPE_DEFAULTS.intensity;
  const period = options.period ?? STRIPE_DEFAULTS.period;
  const gain = options.gain ?? STRIPE_DEFAULTS.gain;
  const offset = options.offset ?? STRIPE_DEFAULTS.offset;
  const noiseStd = options.noiseStd ?? STRIPE_DEFAULTS.noiseStd;
  checkRange(fn, 'options.ratio', ratio, 0, 1);
  checkRange(fn, 'options.intensity', intensity, 0, 1);
  checkRange(fn, 'options.period', period, 2, 1e6);
  if (!Number.isInteger(period[0]) || !Number.isInteger(period[1])) throw argError(fn, 'options.period', 'a [lo, hi] pair of integers', `[${period.join(', ')}]`);
  checkRange(fn, 'options.gain', gain, 0, 10);
  checkRange(fn, 'options.offset', offset, -1, 1);
  checkNumber(fn, 'options.noiseStd', noiseStd, 0, 1);
  const perBand = options.perBand ?? true;
  const rng = seededRng(fn, seed);
  const { width: w, height: h, channels: c } = img;
  const lines = direction === 'columns' ? w : h;
  const lineOffset = new Float32Array(c * lines);
  const lineGain = new Float32Array(c * lines).fill(1);
  for (let b = 0; b < c; b++) {
    if (b > 0 && !perBand) {
      lineOffset.copyWithin(b * lines, 0, lines);
      lineGain.copyWithin(b * lines, 0, lines);
      continue;
    }
    const off = lineOffset.subarray(b * lines, (b + 1) * lines);
    if (kind === 'gain-offset') {
      for (let l = 0; l < lines; l++) {
        lineGain[b * lines + l] = drawRange(rng, gain);
        off[l] = drawRange(rng, offset);
      }
      continue;
    }
    const amp = drawRange(rng, intensity);
    let chosen: number[];
    if (kind === 'periodic') {
      const p = drawIntRange(rng, period);
      const phase = rng.nextInt(p);
      chosen = [];
      for (let l = phase; l < lines; l += p) chosen.push(l);
    } else {
      const n = Math.round(drawRange(rng, ratio) * lines);
      // Partial Fisher-Yates: n distinct lines.
      const idx = Array.from({ length: lines }, (_, i) => i);
      for (let i = 0; i < n; i++) {
        const j = i + rng.nextInt(lines - i);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      chosen = idx.slice(0, n);
    }
    // Half the stripes brighter, half darker (random assignment).
    const signs: number[] = chosen.map((_, i) => (i < chosen.length / 2 ? 1 : -1));
    for (let i = signs.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [signs[i], signs[j]] = [signs[j], signs[i]];
    }
    chosen.forEach((l, i) => (off[l] = signs[i] * amp));
  }
  const out = new Float32Array(img.data.length);
  const additive = kind !== 'gain-offset';
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const line = direction === 'columns' ? x : y;
      for (let b = 0; b < c; b++) {
        const i = (y * w + x) * c + b;
        let v = lineGain[b * lines + line] * img.data[i] + lineOffset[b * lines + line];
        if (additive && noiseStd > 0) v += noiseStd * rng.nextNormal();
        out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
  return { image: { width: w, height: h, channels: c, data: out }, lineOffset, lineGain, kind };
}

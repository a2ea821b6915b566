import { checkKnownKeys, checkNumber, checkOneOf, checkRange } from '../args/check-args.js';
import { drawRange, seededRng } from '../args/seeded-rng.js';
import { checkRasterImage, type RasterImage } from '../image/raster-image.js';
import { fbmNoise } from '../noise/fbm-noise.js';
import { blurImage, channelMeans, quantile } from './image-planes.js';

export interface CloudOptions {
  /** Fraction of pixels under some cloud; default [0.2, 0.6]. */
  readonly coverage?: readonly [number, number];
  /** Opacity α of the thickest cloud (1 = opaque); default [0.6, 1.0]. */
  readonly maxOpacity?: readonly [number, number];
  /** Cloud colour: 'white', or 'mean' (white tinted by the image mean, as SatelliteCloudGenerator does); default 'mean'. */
  readonly colour?: 'white' | 'mean';
  /** Darkening of the ground under the cloud's shadow (≤ 0.25 in §4); default [0.1, 0.25]; [0, 0] for none. */
  readonly shadow?: readonly [number, number];
  /** Blur σ (pixels) of the ground seen through the thickest cloud; default 2. */
  readonly blur?: number;
  /** Period of the coarsest fBm octave relative to the image size; default 0.5. */
  readonly scale?: number;
}

export interface CloudResult {
  readonly image: RasterImage;
  /** Cloud opacity α per pixel, in [0, 1]. */
  readonly cloud: Float32Array;
  /** Shadow darkening per pixel (the ground is multiplied by 1 − shadow). */
  readonly shadow: Float32Array;
  readonly shadowOffset: readonly [number, number];
}

export const CLOUD_DEFAULTS = { coverage: [0.2, 0.6], maxOpacity: [0.6, 1.0], shadow: [0.1, 0.25], blur: 2, scale: 0.5 } as const;

/**
 * fBm clouds with shadows (vision.md §4, after SatelliteCloudGenerator): α = fBm thresholded at the coverage
 * quantile and scaled to [0, maxOpacity]; the ground is blurred under thick cloud and darkened by the cloud's
 * shadow (α displaced by a random sun offset); I = G·(1 − α) + C·α. Any number of bands; seeded.
 */
export function addClouds(img: RasterImage, seed: number, options: CloudOptions = {}): CloudResult {
  const fn = 'addClouds';
  checkRasterImage(fn, 'img', img);
  checkKnownKeys(fn, 'options', options, ['coverage', 'maxOpacity', 'colour', 'shadow', 'blur', 'scale']);
  const coverageRange = options.coverage ?? CLOUD_DEFAULTS.coverage;
  const opacityRange = options.maxOpacity ?? CLOUD_DEFAULTS.maxOpacity;
  const shadowRange = options.shadow ?? CLOUD_DEFAULTS.shadow;
  const colour = options.colour ?? 'mean';
  const blur = options.blur ?? CLOUD_DEFAULTS.blur;
  const scale = options.scale ?? CLOUD_DEFAULTS.scale;
  checkRange(fn, 'options.coverage', coverageRange, 0, 1);
  checkRange(fn, 'options.maxOpacity', opacityRange, 0, 1);
  checkRange(fn, 'options.shadow', shadowRange, 0, 1);
  checkOneOf(fn, 'options.colour', colour, ['white', 'mean']);
  checkNumber(fn, 'options.blur', blur, 0, 50);
  checkNumber(fn, 'options.scale', scale, 0.01, 10);
  const rng = seededRng(fn, seed);
  const { width: w, height: h, channels: c } = img;
  const coverage = drawRange(rng, coverageRange);
  const maxOpacity = drawRange(rng, opacityRange);
  const shadowStrength = drawRange(rng, shadowRange);
  const field = fbmNoise(w, h, rng, { scale: Math.max(2, scale * Math.max(w, h)), persistence: 0.55 });
  const threshold = coverage <= 0 ? Infinity : coverage >= 1 ? -Infinity : quantile(field, 1 - coverage);
  const cloud = new Float32Array(w * h);
  let fmax = 0;
  for (const v of field) fmax = Math.max(fmax, v);
  const span = Math.max(1e-6, fmax - threshold);
  for (let i = 0; i < w * h; i++) {
    const a = field[i] > threshold ? Math.min(1, (field[i] - threshold) / span) : 0;
    // Square root: cloud bodies are dense with thin edges rather than uniformly ramped.
    cloud[i] = maxOpacity * Math.sqrt(a);
  }
  // Shadow: the cloud mask displaced towards the sun's opposite side by 3–10 % of the image size.
  const dist = (0.03 + 0.07 * rng.next()) * Math.max(w, h);
  const angle = rng.next() * 2 * Math.PI;
  const dx = Math.round(Math.cos(angle) * dist);
  const dy = Math.round(Math.sin(angle) * dist);
  const shadow = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx, sy = y - dy;
      if (sx >= 0 && sx < w && sy >= 0 && sy < h) shadow[y * w + x] = shadowStrength * (cloud[sy * w + sx] / Math.max(maxOpacity, 1e-6));
    }
  }
  const blurred = blur > 0 ? blurImage(img, blur) : img;
  const mean = channelMeans(img);
  const cloudColour = Array.from(mean, (m) => (colour === 'white' ? 1 : 0.85 + 0.15 * m));
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < w * h; i++) {
    const a = cloud[i];
    const thick = maxOpacity > 0 ? a / maxOpacity : 0;
    const keep = 1 - shadow[i];
    for (let k = 0; k < c; k++) {
      const j = i * c + k;
      const ground = (img.data[j] * (1 - thick) + blurred.data[j] * thick) * keep;
      const v = ground * (1 - a) + cloudColour[k] * a;
      out[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { image: { width: w, height: h, channels: c, data: out }, cloud, shadow, shadowOffset: [dx, dy] };
}

import { checkPlane, checkRgbImage, clampInPlace, planeOf, rgbOf, createPlane, type FloatPlane, type FloatRgbImage } from './float-image.js';
import { filterRgb, gaussianBlurPlane, motionBlurPlane, normalisePlane, upscaleCropPlane } from './plane-filters.js';
import { syntheticDepth } from './synthetic-depth.js';
import { checkRange, sampleRange, uniform, weatherRandom, type Range } from './weather-random.js';

/** Parameter ranges of {@link addRain}; pixel lengths are for a 480-px-high frame and scale with the image height. */
export interface RainOptions {
  /** Streak length l in pixels at 480 px height. Default [21, 60]. */
  length?: Range;
  /** Streak angles in degrees (90 = vertical). Default [80, 85, 90, 95, 100]. */
  angles?: readonly number[];
  /** Veil scattering β. Default [2.6, 4.6] (the generator's active lines; its commented train lines use [3, 4.2]). */
  beta?: Range;
  /** Veil airlight A. Default [0.25, 0.95]. */
  airlight?: Range;
  /** Noise upscale factor s. Default [1.01, 1.21]. */
  scale?: Range;
  /** Depth in [0, 1] (0 near); default synthetic. */
  depth?: FloatPlane;
}

/** A rainy image with Outdoor-Rain's auxiliary targets. */
export interface RainResult {
  image: FloatRgbImage;
  /** S: the rain streak layer added to the scene (before the veil). */
  streaks: FloatPlane;
  /** T: the veil transmission. */
  transmission: FloatPlane;
  airlight: number;
  beta: number;
  length: number;
  angle: number;
}

export const RAIN_DEFAULTS = {
  length: [21, 60] as Range,
  angles: [80, 85, 90, 95, 100] as readonly number[],
  beta: [2.6, 4.6] as Range,
  airlight: [0.25, 0.95] as Range,
  scale: [1.01, 1.21] as Range,
};

/**
 * Heavy rain with veil, after the Outdoor-Rain generator (liruoteng/HeavyRainRemoval `datagen`, vision.md §4):
 * I = T⊙(J + S) + (1 − T)⊙A.
 * - J is first blurred with σ = min(1, |N(0.5, 0.5)|) (rain defocuses the scene).
 * - S: Gaussian noise of mean density·(0.2 + 0.05u), density = −4, variance 0.7 + 0.3u, clipped to [0, 1]
 *   (imnoise clips, so only sparse positives survive), upscaled by s and cropped, motion-blurred with length l
 *   at angle θ, clipped at 0 and weighted by tr = 0.2 + 0.04·l + 0.05u (l in the reference 480-px units).
 * - The veil: dep = normalised 1/(1.1 − depth) (the generator's 1/(depth + 0.1) of a disparity-like map: large
 *   far away), Gaussian-smoothed, T = exp(−β·dep).
 */
export function addRain(clean: FloatRgbImage, seed: number, options: RainOptions = {}): RainResult {
  checkRgbImage('addRain', 'clean', clean);
  const o = { ...RAIN_DEFAULTS, ...options };
  checkRange('addRain', 'options.length', o.length, 1, 1000);
  checkRange('addRain', 'options.beta', o.beta, 0, 20);
  checkRange('addRain', 'options.airlight', o.airlight, 0, 1);
  checkRange('addRain', 'options.scale', o.scale, 1, 4);
  if (!Array.isArray(o.angles) || o.angles.length === 0 || !o.angles.every((a) => Number.isFinite(a))) {
    throw new Error(`addRain: options.angles must be a non-empty array of finite angles in degrees; got ${JSON.stringify(o.angles)}`);
  }
  const { width, height } = clean;
  if (options.depth) checkPlane('addRain', 'options.depth', options.depth, width, height);
  const rng = weatherRandom('addRain', seed);
  const unit = height / 480;

  const sigma = Math.min(1, Math.abs(0.5 + 0.5 * rng.nextNormal())) * unit;
  const blurred = sigma > 0.05 ? filterRgb(clean.data, width, height, (p) => gaussianBlurPlane(p, sigma)) : Float32Array.from(clean.data);

  const mean = -4 * (0.2 + 0.05 * rng.next());
  const std = Math.sqrt(0.7 + 0.3 * rng.next());
  const noise = createPlane(width, height);
  for (let i = 0; i < noise.data.length; i++) noise.data[i] = Math.min(1, Math.max(0, mean + std * rng.nextNormal()));
  const s = sampleRange(rng, o.scale);
  const cropped = upscaleCropPlane(noise, s, uniform(rng, 0, (s - 1) * width), uniform(rng, 0, (s - 1) * height));
  const length = sampleRange(rng, o.length);
  const angle = o.angles[Math.floor(rng.next() * o.angles.length)];
  const streak = motionBlurPlane(cropped, Math.max(2, length * unit), angle);
  const tr = 0.2 + 0.04 * length + 0.05 * rng.next();
  for (let i = 0; i < streak.data.length; i++) streak.data[i] = Math.max(0, streak.data[i]) * tr;

  const beta = sampleRange(rng, o.beta);
  const airlight = sampleRange(rng, o.airlight);
  const depth = options.depth ?? syntheticDepth(width, height, rng);
  const inverse = createPlane(width, height);
  for (let i = 0; i < inverse.data.length; i++) inverse.data[i] = 1 / (1.1 - depth.data[i]);
  const dep = gaussianBlurPlane(normalisePlane(inverse), 5 * unit);
  const T = new Float32Array(width * height);
  const out = new Float32Array(clean.data.length);
  for (let i = 0; i < T.length; i++) {
    const t = Math.exp(-beta * dep.data[i]);
    T[i] = t;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = t * Math.min(1, blurred[i * 3 + c] + streak.data[i]) + (1 - t) * airlight;
  }
  return { image: rgbOf(width, height, clampInPlace(out)), streaks: streak, transmission: planeOf(width, height, T), airlight, beta, length, angle };
}

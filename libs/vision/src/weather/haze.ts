import { checkPlane, checkRgbImage, clampInPlace, planeOf, rgbOf, type FloatPlane, type FloatRgbImage } from './float-image.js';
import { syntheticDepth } from './synthetic-depth.js';
import { checkRange, sampleRange, weatherRandom, type Range } from './weather-random.js';

/** Parameter ranges of {@link addHaze} (defaults: RESIDE-style, vision.md §4). */
export interface HazeOptions {
  /** Global airlight A (grey), drawn from this range. Default [0.7, 1.0]. */
  airlight?: Range;
  /** Scattering coefficient β per unit of normalised depth. Default [0.6, 1.8]. */
  beta?: Range;
  /** A depth map in [0, 1] (0 near); default a synthetic one ({@link syntheticDepth}). */
  depth?: FloatPlane;
}

/** A hazy image with the auxiliary targets of the scattering model. */
export interface HazeResult {
  image: FloatRgbImage;
  /** t = exp(−β·d) per pixel. */
  transmission: FloatPlane;
  airlight: number;
  beta: number;
  depth: FloatPlane;
}

export const HAZE_DEFAULTS = { airlight: [0.7, 1.0] as Range, beta: [0.6, 1.8] as Range };

/**
 * Atmospheric scattering (Koschmieder): I = J·t + A·(1 − t), t = exp(−β·d), with d the depth normalised to
 * [0, 1]. Seeded: the same seed gives the same haze.
 */
export function addHaze(clean: FloatRgbImage, seed: number, options: HazeOptions = {}): HazeResult {
  checkRgbImage('addHaze', 'clean', clean);
  const airlightRange = options.airlight ?? HAZE_DEFAULTS.airlight;
  const betaRange = options.beta ?? HAZE_DEFAULTS.beta;
  checkRange('addHaze', 'options.airlight', airlightRange, 0, 1);
  checkRange('addHaze', 'options.beta', betaRange, 0, 20);
  const { width, height } = clean;
  if (options.depth) checkPlane('addHaze', 'options.depth', options.depth, width, height);
  const rng = weatherRandom('addHaze', seed);
  const airlight = sampleRange(rng, airlightRange);
  const beta = sampleRange(rng, betaRange);
  const depth = options.depth ?? syntheticDepth(width, height, rng);
  const t = new Float32Array(width * height);
  const out = new Float32Array(clean.data.length);
  for (let i = 0; i < t.length; i++) {
    const ti = Math.exp(-beta * depth.data[i]);
    t[i] = ti;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = clean.data[i * 3 + c] * ti + airlight * (1 - ti);
  }
  return { image: rgbOf(width, height, clampInPlace(out)), transmission: planeOf(width, height, t), airlight, beta, depth };
}

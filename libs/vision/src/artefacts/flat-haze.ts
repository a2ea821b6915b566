import { checkKnownKeys, checkNumber, checkRange } from '../args/check-args.js';
import { seededRng } from '../args/seeded-rng.js';
import { checkRasterImage, type RasterImage } from '../image/raster-image.js';
import { fbmNoise } from '../noise/fbm-noise.js';
import { addHaze, type HazeResult } from '../weather/haze.js';

export interface FlatHazeOptions {
  /** Scattering β (small for a nadir view: the whole scene is at about the same distance); default [0.3, 1.0]. */
  readonly beta?: readonly [number, number];
  /** Airlight A; default [0.7, 1.0]. */
  readonly airlight?: readonly [number, number];
  /** Relative variation of the optical depth across the tile (thin haze banks), in [0, 1]; default 0.2. */
  readonly variation?: number;
}

export const FLAT_HAZE_DEFAULTS = { beta: [0.3, 1.0], airlight: [0.7, 1.0], variation: 0.2 } as const;

/**
 * Haze for overhead imagery (§4 sensor shift, "β small and flat depth"): the scattering model of the weather
 * module, I = J·t + A·(1 − t), t = exp(−β·d), with a near-constant optical depth d = 1 − variation·fBm instead
 * of a street-scene depth ramp. RGB (or any 3-band order such as IRRG).
 */
export function addFlatHaze(img: RasterImage, seed: number, options: FlatHazeOptions = {}): HazeResult {
  const fn = 'addFlatHaze';
  checkRasterImage(fn, 'img', img, [3]);
  checkKnownKeys(fn, 'options', options, ['beta', 'airlight', 'variation']);
  const beta = options.beta ?? FLAT_HAZE_DEFAULTS.beta;
  const airlight = options.airlight ?? FLAT_HAZE_DEFAULTS.airlight;
  const variation = options.variation ?? FLAT_HAZE_DEFAULTS.variation;
  checkRange(fn, 'options.beta', beta, 0, 20);
  checkRange(fn, 'options.airlight', airlight, 0, 1);
  checkNumber(fn, 'options.variation', variation, 0, 1);
  const rng = seededRng(fn, seed);
  const field = fbmNoise(img.width, img.height, rng, { octaves: 3 });
  const depth = new Float32Array(field.length);
  for (let i = 0; i < depth.length; i++) depth[i] = 1 - variation * field[i];
  return addHaze(img, rng.nextInt(2 ** 31), { beta, airlight, depth: { width: img.width, height: img.height, channels: 1, data: depth } });
}

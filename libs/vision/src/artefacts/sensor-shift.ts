import { argError, checkInt, checkKnownKeys, checkRange } from '../args/check-args.js';
import { drawRange, seededRng } from '../args/seeded-rng.js';
import { checkRasterImage, selectChannels, type RasterImage } from '../image/raster-image.js';

/** Band orders of a rendered R, G, B, NIR stack (as generateScene renders): true colour, and NIR-R-G false colour. */
export const BAND_ORDERS = { rgb: [0, 1, 2], irrg: [3, 0, 1] } as const;
export type BandOrder = keyof typeof BAND_ORDERS;

/** Landsat 7 ETM+ (L7_ETMs.tif, 0-based bands 1-5, 7): true colour 3-2-1 and NIR-R-G 4-3-2. */
export const LANDSAT7_BAND_ORDERS = { rgb: [2, 1, 0], irrg: [3, 2, 1] } as const;

/**
 * Reorders or selects bands, e.g. `permuteBands(rgbn, BAND_ORDERS.irrg)` for the Potsdam-RGB → Vaihingen-IRRG
 * kind of sensor shift. Each entry is a 0-based band index of `img`.
 */
export function permuteBands(img: RasterImage, order: readonly number[]): RasterImage {
  checkRasterImage('permuteBands', 'img', img);
  if (!Array.isArray(order) || order.length === 0) throw argError('permuteBands', 'order', 'a non-empty array of band indices', order);
  order.forEach((b, i) => checkInt('permuteBands', `order[${i}]`, b, 0, img.channels - 1));
  return selectChannels(img, order);
}

export interface SensorShiftOptions {
  /** Per-band gain; default [0.8, 1.2]. */
  readonly gain?: readonly [number, number];
  /** Per-band offset; default [−0.05, 0.05]. */
  readonly offset?: readonly [number, number];
  /** Per-image gamma (x^γ); default [0.7, 1.4]. */
  readonly gamma?: readonly [number, number];
}

export const SENSOR_SHIFT_DEFAULTS = { gain: [0.8, 1.2], offset: [-0.05, 0.05], gamma: [0.7, 1.4] } as const;

/** Radiometric sensor / illumination shift (§4): y_b = clamp(g_b · x_b^γ + o_b); seeded. Returns the drawn parameters too. */
export function sensorShift(img: RasterImage, seed: number, options: SensorShiftOptions = {}): { image: RasterImage; gain: number[]; offset: number[]; gamma: number } {
  const fn = 'sensorShift';
  checkRasterImage(fn, 'img', img);
  checkKnownKeys(fn, 'options', options, ['gain', 'offset', 'gamma']);
  const gainRange = options.gain ?? SENSOR_SHIFT_DEFAULTS.gain;
  const offsetRange = options.offset ?? SENSOR_SHIFT_DEFAULTS.offset;
  const gammaRange = options.gamma ?? SENSOR_SHIFT_DEFAULTS.gamma;
  checkRange(fn, 'options.gain', gainRange, 0, 10);
  checkRange(fn, 'options.offset', offsetRange, -1, 1);
  checkRange(fn, 'options.gamma', gammaRange, 0.05, 20);
  const rng = seededRng(fn, seed);
  const gamma = drawRange(rng, gammaRange);
  const gain = Array.from({ length: img.channels }, () => drawRange(rng, gainRange));
  const offset = Array.from({ length: img.channels }, () => drawRange(rng, offsetRange));
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const b = i % img.channels;
    const x = Math.max(0, img.data[i]);
    const v = gain[b] * x ** gamma + offset[b];
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { image: { width: img.width, height: img.height, channels: img.channels, data: out }, gain, offset, gamma };
}

import { argError, checkInt, checkKnownKeys } from '../args/check-args.js';
import { checkGeoRaster, type GeoRaster } from '../geotiff/geo-raster.js';
import { SCENE_CLASS_ID } from '../scenes/scene-classes.js';

/** Normalised difference (a − b)/(a + b) per pixel of two bands; 0 where both are 0. */
export function normalisedDifference(raster: GeoRaster, a: number, b: number): Float32Array {
  const fn = 'normalisedDifference';
  checkGeoRaster(fn, 'raster', raster);
  checkInt(fn, 'a', a, 0, raster.bands - 1);
  checkInt(fn, 'b', b, 0, raster.bands - 1);
  const n = raster.width * raster.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = raster.data[i * raster.bands + a];
    const y = raster.data[i * raster.bands + b];
    out[i] = x + y === 0 ? 0 : (x - y) / (x + y);
  }
  return out;
}

/**
 * Otsu's threshold of values in [−1, 1] (256 bins): the split that maximises the between-class variance.
 * Chosen by the data, not by hand, so nothing is tuned on the scene that is then evaluated.
 */
export function otsuThreshold(values: Float32Array, mask?: Uint8Array): number {
  const bins = 256;
  const hist = new Float64Array(bins);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const v = Math.min(1, Math.max(-1, values[i]));
    hist[Math.min(bins - 1, Math.floor(((v + 1) / 2) * bins))]++;
    total++;
  }
  if (total === 0) return 0;
  let sumAll = 0;
  for (let k = 0; k < bins; k++) sumAll += k * hist[k];
  let w0 = 0, sum0 = 0, best = 0, bestVar = -1;
  for (let k = 0; k < bins - 1; k++) {
    w0 += hist[k];
    sum0 += k * hist[k];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const between = w0 * w1 * (sum0 / w0 - (sumAll - sum0) / w1) ** 2;
    if (between > bestVar) [bestVar, best] = [between, k];
  }
  return ((best + 1) / bins) * 2 - 1;
}

export interface IndexLabelOptions {
  /** 0-based band indices; default Landsat 7 ETM+ as in L7_ETMs.tif (green 1, red 2, NIR 3). */
  readonly bands?: { readonly green: number; readonly red: number; readonly nir: number };
}

export interface IndexLabels {
  /** SCENE_CLASSES ids: water, forest (any dense vegetation) or background (everything else). */
  readonly labels: Uint8Array;
  readonly ndwiThreshold: number;
  readonly ndviThreshold: number;
  /** Always 'index-derived': these are spectral-index labels, not surveyed ground truth. */
  readonly source: 'index-derived';
}

/**
 * Coarse labels for a real multispectral scene from spectral indices (vision.md §8): water where McFeeters'
 * NDWI = (G − NIR)/(G + NIR) is above its Otsu threshold, then vegetation where NDVI = (NIR − R)/(NIR + R) is
 * above its Otsu threshold among the remaining pixels, the rest background. Computed on the stored digital
 * numbers (no atmospheric correction), so the indices are biased; the thresholds adapt to that. Report
 * results on these labels as index-derived.
 */
export function spectralIndexLabels(raster: GeoRaster, options: IndexLabelOptions = {}): IndexLabels {
  const fn = 'spectralIndexLabels';
  checkGeoRaster(fn, 'raster', raster);
  checkKnownKeys(fn, 'options', options, ['bands']);
  const bands = options.bands ?? { green: 1, red: 2, nir: 3 };
  if (typeof bands !== 'object' || bands === null) throw argError(fn, 'options.bands', '{green, red, nir} band indices', bands);
  for (const k of ['green', 'red', 'nir'] as const) checkInt(fn, `options.bands.${k}`, bands[k], 0, raster.bands - 1);
  const ndwi = normalisedDifference(raster, bands.green, bands.nir);
  const ndvi = normalisedDifference(raster, bands.nir, bands.red);
  const ndwiThreshold = otsuThreshold(ndwi);
  const n = ndwi.length;
  const land = new Uint8Array(n);
  for (let i = 0; i < n; i++) land[i] = ndwi[i] > ndwiThreshold ? 0 : 1;
  const ndviThreshold = otsuThreshold(ndvi, land);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = land[i] === 0 ? SCENE_CLASS_ID.water : ndvi[i] > ndviThreshold ? SCENE_CLASS_ID.forest : SCENE_CLASS_ID.background;
  return { labels, ndwiThreshold, ndviThreshold, source: 'index-derived' };
}

import { argError, checkInt, checkKnownKeys, checkRange } from '../args/check-args.js';
import { quantise } from '../image/quantise.js';
import { checkRasterImage, type RasterImage } from '../image/raster-image.js';
import { checkGeoRaster, type GeoRaster } from './geo-raster.js';
import { sampleTypeOf } from './tiff-writer.js';

export interface GeoRasterToImageOptions {
  /** Bands to take, in order (0-based), e.g. [2, 1, 0] for Landsat true colour; default all. */
  readonly bands?: readonly number[];
  /**
   * How samples map to [0, 1]: 'type' divides unsigned integers by their maximum (255, 65535…);
   * 'minmax' stretches each band's own min…max, 'percentile' its 2nd…98th percentile (the usual display
   * stretch; nodata excluded); [lo, hi] maps lo → 0, hi → 1 for every band.
   * Default 'type' for unsigned integers, 'minmax' otherwise. Values outside are clamped.
   */
  readonly range?: 'type' | 'minmax' | 'percentile' | readonly [number, number];
  /** Samples equal to this become 0 (default: none). */
  readonly noData?: number;
}

/** A GeoRaster's bands as a RasterImage in [0, 1] (to show, tile or feed a network). */
export function geoRasterToImage(raster: GeoRaster, options: GeoRasterToImageOptions = {}): RasterImage {
  const fn = 'geoRasterToImage';
  checkGeoRaster(fn, 'raster', raster);
  checkKnownKeys(fn, 'options', options, ['bands', 'range', 'noData']);
  const bands = options.bands ?? Array.from({ length: raster.bands }, (_, i) => i);
  if (!Array.isArray(bands) || bands.length === 0) throw argError(fn, 'options.bands', 'a non-empty array of band indices', bands);
  bands.forEach((b, i) => checkInt(fn, `options.bands[${i}]`, b, 0, raster.bands - 1));
  const { bits, format } = sampleTypeOf(raster.data);
  const range = options.range ?? (format === 1 ? 'type' : 'minmax');
  if (range === 'type' && format !== 1) throw argError(fn, 'options.range', "'minmax', 'percentile' or [lo, hi] for signed or float samples ('type' is for unsigned integers)", range);
  if (range !== 'type' && range !== 'minmax' && range !== 'percentile') checkRange(fn, 'options.range', range);
  const noData = options.noData;
  if (noData !== undefined && !Number.isFinite(noData)) throw argError(fn, 'options.noData', 'a finite number', noData);
  const n = raster.width * raster.height;
  const k = bands.length;
  const src = raster.data;
  const lo = new Float64Array(k);
  const hi = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    if (range === 'type') [lo[j], hi[j]] = [0, 2 ** bits - 1];
    else if (range === 'percentile') {
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = src[i * raster.bands + bands[j]];
        if (v !== noData && Number.isFinite(v)) values.push(v);
      }
      values.sort((a, b) => a - b);
      const at = (q: number) => values[Math.round(q * (values.length - 1))];
      [lo[j], hi[j]] = values.length ? [at(0.02), at(0.98)] : [0, 1];
    } else if (range !== 'minmax') [lo[j], hi[j]] = [range[0], range[1]];
    else {
      let mn = Infinity, mx = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = src[i * raster.bands + bands[j]];
        if (v === noData || !Number.isFinite(v)) continue;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      [lo[j], hi[j]] = Number.isFinite(mn) ? [mn, mx] : [0, 1];
    }
  }
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = src[i * raster.bands + bands[j]];
      const span = hi[j] - lo[j];
      const x = v === noData || !Number.isFinite(v) ? 0 : span > 0 ? (v - lo[j]) / span : 0;
      out[i * k + j] = x < 0 ? 0 : x > 1 ? 1 : x;
    }
  }
  return { width: raster.width, height: raster.height, channels: k, data: out };
}

/** A RasterImage (values in [0, 1]) as a GeoRaster of 8- or 16-bit unsigned samples (rounded, clamped) or float32 as is. */
export function imageToGeoRaster(img: RasterImage, sampleType: 'uint8' | 'uint16' | 'float32' = 'uint8'): GeoRaster {
  checkRasterImage('imageToGeoRaster', 'img', img);
  if (sampleType === 'float32') return { width: img.width, height: img.height, bands: img.channels, data: new Float32Array(img.data) };
  if (sampleType !== 'uint8' && sampleType !== 'uint16') throw argError('imageToGeoRaster', 'sampleType', "'uint8', 'uint16' or 'float32'", sampleType);
  return { width: img.width, height: img.height, bands: img.channels, data: quantise('imageToGeoRaster', img, sampleType === 'uint8' ? 8 : 16) };
}

import { argError, checkInt, checkNumber } from '../args/check-args.js';

/** Typed arrays a TIFF sample can be stored in (BitsPerSample × SampleFormat). */
export type GeoSampleArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/**
 * A multi-band raster with its samples as stored (digital numbers, metres, reflectance…), interleaved
 * row-major (HWC: `data[(y·width + x)·bands + b]`), in the file's band order. The array type is the sample
 * type and is written back unchanged, so a round trip is exact.
 */
export interface GeoRaster {
  readonly width: number;
  readonly height: number;
  readonly bands: number;
  readonly data: GeoSampleArray;
}

/**
 * GeoTIFF georeferencing, kept as the raw tags so that writing copies it verbatim: the GeoKey directory and
 * its parameter tags (projection, datum, units) and the raster→model mapping (a tie point + pixel scale, or a
 * 4×4 transformation). `geoKeys` is the parsed directory, for reading only (e.g. `ProjectedCSTypeGeoKey`:
 * 31985 = SIRGAS 2000 / UTM 25S); edit the raw fields, not it.
 */
export interface GeoReference {
  /** GeoKeyDirectoryTag (34735) as SHORT values: header [1, 1, 0, n] then n × [key, location, count, value]. */
  readonly geoKeyDirectory: readonly number[];
  /** GeoDoubleParamsTag (34736). */
  readonly geoDoubleParams?: readonly number[];
  /** GeoAsciiParamsTag (34737), '|'-separated, as stored. */
  readonly geoAsciiParams?: string;
  /** ModelPixelScaleTag (33550): [scaleX, scaleY, scaleZ]; y grows downwards in the raster, so model y = ty − j·scaleY. */
  readonly modelPixelScale?: readonly number[];
  /** ModelTiepointTag (33922): [i, j, k, x, y, z] per tie point. */
  readonly modelTiepoint?: readonly number[];
  /** ModelTransformationTag (34264): row-major 4×4 raster→model matrix, instead of tie point + scale. */
  readonly modelTransformation?: readonly number[];
  /** GDAL_NODATA (42113): the value that marks missing samples. */
  readonly noData?: number;
  /** The parsed GeoKeys (read-only view of `geoKeyDirectory`). */
  readonly geoKeys: Readonly<Record<string, unknown>>;
}

const SAMPLE_ARRAYS = [Uint8Array, Uint16Array, Uint32Array, Int8Array, Int16Array, Int32Array, Float32Array, Float64Array] as const;

export function isGeoSampleArray(v: unknown): v is GeoSampleArray {
  return SAMPLE_ARRAYS.some((C) => v instanceof C);
}

export function checkGeoRaster(fn: string, arg: string, raster: unknown): asserts raster is GeoRaster {
  if (typeof raster !== 'object' || raster === null) throw argError(fn, arg, 'a GeoRaster {width, height, bands, data}', raster);
  const { width, height, bands, data } = raster as Partial<GeoRaster>;
  checkInt(fn, `${arg}.width`, width, 1);
  checkInt(fn, `${arg}.height`, height, 1);
  checkInt(fn, `${arg}.bands`, bands, 1);
  const n = width * height * bands;
  if (!isGeoSampleArray(data) || data.length !== n) {
    throw argError(fn, `${arg}.data`, `a typed array (Uint8/16/32, Int8/16/32, Float32/64) of width·height·bands = ${n} values`, data);
  }
}

/** The affine raster→model mapping [a, b, c, d, e, f]: x = a·col + b·row + c, y = d·col + e·row + f (pixel corners). */
export function geoTransformOf(georef: GeoReference): readonly [number, number, number, number, number, number] {
  if (typeof georef !== 'object' || georef === null) throw argError('geoTransformOf', 'georef', 'a GeoReference', georef);
  const m = georef.modelTransformation;
  if (m !== undefined && m.length === 16) return [m[0], m[1], m[3], m[4], m[5], m[7]];
  const t = georef.modelTiepoint;
  const s = georef.modelPixelScale;
  if (t === undefined || t.length < 6 || s === undefined || s.length < 2) {
    throw new TypeError('geoTransformOf(): georef has neither a ModelTransformation nor a tie point + pixel scale');
  }
  const [i, j, , x, y] = t;
  return [s[0], 0, x - i * s[0], 0, -s[1], y + j * s[1]];
}

/** Model (map) coordinates of raster position (col, row); (0, 0) is the upper-left corner of the first pixel. */
export function pixelToModel(georef: GeoReference, col: number, row: number): [number, number] {
  checkNumber('pixelToModel', 'col', col);
  checkNumber('pixelToModel', 'row', row);
  const [a, b, c, d, e, f] = geoTransformOf(georef);
  return [a * col + b * row + c, d * col + e * row + f];
}

/**
 * The georeferencing of a derived raster: a window starting at raster position (x, y) of the source and/or
 * resampled by `scaleX`, `scaleY` (output pixels per source pixel, e.g. 0.55 for a GSD change 5 → 9 cm).
 * Projection keys and nodata are kept; only the raster→model mapping changes.
 */
export function deriveGeoReference(georef: GeoReference, window: { x?: number; y?: number; scaleX?: number; scaleY?: number }): GeoReference {
  const { x = 0, y = 0, scaleX = 1, scaleY = 1 } = window;
  for (const [k, v] of Object.entries({ x, y })) if (!Number.isFinite(v)) throw argError('deriveGeoReference', `window.${k}`, 'a finite number', v);
  for (const [k, v] of Object.entries({ scaleX, scaleY })) if (!(Number.isFinite(v) && v > 0)) throw argError('deriveGeoReference', `window.${k}`, 'a positive number', v);
  const [a, b, c, d, e, f] = geoTransformOf(georef);
  // New pixel (i', j') covers source position (x + i'/scaleX, y + j'/scaleY).
  const na = a / scaleX, nb = b / scaleY, nc = a * x + b * y + c;
  const nd = d / scaleX, ne = e / scaleY, nf = d * x + e * y + f;
  const { modelTransformation: _m, modelTiepoint: _t, modelPixelScale: _s, ...rest } = georef;
  if (georef.modelTransformation !== undefined || nb !== 0 || nd !== 0) {
    return { ...rest, modelTransformation: [na, nb, 0, nc, nd, ne, 0, nf, 0, 0, 0, 0, 0, 0, 0, 1] };
  }
  const z = georef.modelPixelScale?.[2] ?? 0;
  return { ...rest, modelTiepoint: [0, 0, 0, nc, nf, 0], modelPixelScale: [na, -ne, z] };
}

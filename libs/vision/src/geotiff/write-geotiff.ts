import { argError, checkKnownKeys } from '../args/check-args.js';
import { checkGeoRaster, type GeoRaster, type GeoReference } from './geo-raster.js';
import { encodeTiffImage, TIFF_TYPE, type TiffTag } from './tiff-writer.js';

function numberArray(fn: string, arg: string, v: unknown, length?: number): readonly number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || (length !== undefined && v.length !== length)) {
    throw argError(fn, arg, length === undefined ? 'an array of finite numbers' : `an array of ${length} finite numbers`, v);
  }
  return v;
}

/** The GeoTIFF tags of `georef`, checked. */
export function geoReferenceTags(fn: string, georef: GeoReference): TiffTag[] {
  if (typeof georef !== 'object' || georef === null) throw argError(fn, 'georef', 'a GeoReference (from readGeoTiff or deriveGeoReference)', georef);
  const dir = numberArray(fn, 'georef.geoKeyDirectory', georef.geoKeyDirectory);
  if (dir === undefined || dir.length < 4 || dir.length < 4 + 4 * dir[3] || !dir.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff)) {
    throw argError(fn, 'georef.geoKeyDirectory', 'a GeoKey directory of uint16 values, at least 4 + 4·n long (n = element 3)', georef.geoKeyDirectory);
  }
  const scale = numberArray(fn, 'georef.modelPixelScale', georef.modelPixelScale, 3);
  const tie = numberArray(fn, 'georef.modelTiepoint', georef.modelTiepoint);
  if (tie !== undefined && (tie.length === 0 || tie.length % 6 !== 0)) throw argError(fn, 'georef.modelTiepoint', 'a multiple of 6 numbers [i, j, k, x, y, z]', tie);
  const transform = numberArray(fn, 'georef.modelTransformation', georef.modelTransformation, 16);
  const doubles = numberArray(fn, 'georef.geoDoubleParams', georef.geoDoubleParams);
  if (georef.geoAsciiParams !== undefined && typeof georef.geoAsciiParams !== 'string') throw argError(fn, 'georef.geoAsciiParams', 'a string', georef.geoAsciiParams);
  if (georef.noData !== undefined && !Number.isFinite(georef.noData)) throw argError(fn, 'georef.noData', 'a finite number', georef.noData);
  if (transform === undefined && (tie === undefined || scale === undefined)) {
    throw argError(fn, 'georef', 'a raster→model mapping: modelTransformation, or modelTiepoint + modelPixelScale', Object.keys(georef).join(', '));
  }
  // The ASCII params are stored with their own trailing NUL stripped; the writer adds one.
  const ascii = georef.geoAsciiParams?.replace(/\0+$/, '');
  return [
    ...(scale ? [{ tag: 33550, type: TIFF_TYPE.DOUBLE, values: scale }] : []),
    ...(tie ? [{ tag: 33922, type: TIFF_TYPE.DOUBLE, values: tie }] : []),
    ...(transform ? [{ tag: 34264, type: TIFF_TYPE.DOUBLE, values: transform }] : []),
    { tag: 34735, type: TIFF_TYPE.SHORT, values: dir },
    ...(doubles?.length ? [{ tag: 34736, type: TIFF_TYPE.DOUBLE, values: doubles }] : []),
    ...(ascii !== undefined ? [{ tag: 34737, type: TIFF_TYPE.ASCII, values: ascii }] : []),
    ...(georef.noData !== undefined ? [{ tag: 42113, type: TIFF_TYPE.ASCII, values: String(georef.noData) }] : []),
  ] as TiffTag[];
}

export interface WriteGeoTiffOptions {
  /** 'rgb' marks a 3- or 4-band raster as RGB(A) for viewers; default 'bands' (BlackIsZero, every band equal). */
  readonly photometric?: 'bands' | 'rgb';
}

/**
 * Encodes `raster` as a GeoTIFF carrying `georef` verbatim (GeoKeys, tie point/scale or transformation,
 * nodata), samples in the raster's own type (uncompressed, one strip). `readGeoTiff` of the result gives
 * back the same samples and georeferencing. Without `georef` it writes a plain TIFF.
 *
 * @example
 * const { raster, georef } = await readGeoTiff(bytes);
 * const labels: GeoRaster = { width: raster.width, height: raster.height, bands: 1, data: labelBytes };
 * await writeFile('labels.tif', writeGeoTiff(labels, georef));
 */
export function writeGeoTiff(raster: GeoRaster, georef: GeoReference | undefined, options: WriteGeoTiffOptions = {}): Uint8Array {
  checkGeoRaster('writeGeoTiff', 'raster', raster);
  checkKnownKeys('writeGeoTiff', 'options', options, ['photometric']);
  const rgb = options.photometric === 'rgb';
  if (options.photometric !== undefined && options.photometric !== 'bands' && !rgb) throw argError('writeGeoTiff', 'options.photometric', "'bands' or 'rgb'", options.photometric);
  if (rgb && raster.bands !== 3 && raster.bands !== 4) throw argError('writeGeoTiff', 'raster.bands', "3 or 4 with photometric 'rgb'", raster.bands);
  const colour = rgb ? 3 : 1;
  const extraSamples = raster.bands > colour ? Array.from({ length: raster.bands - colour }, () => (rgb ? 2 : 0)) : undefined;
  return encodeTiffImage({
    ...raster,
    photometric: rgb ? 2 : 1,
    ...(extraSamples ? { extraSamples } : {}),
    extraTags: georef === undefined ? [] : geoReferenceTags('writeGeoTiff', georef),
  });
}

import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { checkBytes, checkInt, checkKnownKeys } from '../args/check-args.js';
import { ImageDecodeError } from '../image/image-decode-error.js';
import { describeBytes, sniffFormat } from '../image/sniff-format.js';
import { isGeoSampleArray, type GeoRaster, type GeoReference, type GeoSampleArray } from './geo-raster.js';

export interface ReadGeoTiffOptions {
  /** Refuse rasters with more than this many pixels (width × height) before decoding them. */
  readonly maxPixels?: number;
}

export interface GeoTiff {
  readonly raster: GeoRaster;
  /** Undefined for a plain TIFF without GeoTIFF tags. */
  readonly georef: GeoReference | undefined;
  /** Bits per sample and the TIFF sample format of band 0 (1 uint, 2 int, 3 float). */
  readonly bitsPerSample: number;
  readonly sampleFormat: 1 | 2 | 3;
}

const numbers = (v: unknown): number[] | undefined => (v === undefined || v === null ? undefined : Array.from(v as ArrayLike<number>, Number));

async function tag(image: GeoTIFFImage, name: string): Promise<unknown> {
  const fd = image.getFileDirectory();
  // Large tags are deferred (read on demand) in geotiff 3; loadValue resolves both kinds.
  return fd.hasTag(name as never) ? fd.loadValue(name as never) : undefined;
}

/**
 * Reads the first image of a (Geo)TIFF: every band, samples as stored, plus its georeferencing.
 *
 * @example
 * const { raster, georef } = await readGeoTiff(await readFile(realImagePath('L7_ETMs.tif')));
 * raster.bands; // 6 (Landsat 7 ETM+ bands 1-5, 7), raster.data is a Uint8Array
 */
export async function readGeoTiff(bytes: Uint8Array, options: ReadGeoTiffOptions = {}): Promise<GeoTiff> {
  checkBytes('readGeoTiff', 'bytes', bytes);
  checkKnownKeys('readGeoTiff', 'options', options, ['maxPixels']);
  if (options.maxPixels !== undefined) checkInt('readGeoTiff', 'options.maxPixels', options.maxPixels, 1);
  const format = sniffFormat(bytes);
  if (format !== 'tiff') {
    throw new ImageDecodeError(format === 'unknown' ? 'not_an_image' : 'unsupported_format', `readGeoTiff(): expected TIFF bytes; got ${format === 'unknown' ? describeBytes(bytes) : `a ${format.toUpperCase()} image`}`, { format });
  }
  let image: GeoTIFFImage;
  try {
    const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    image = await tiff.getImage();
  } catch (err) {
    throw new ImageDecodeError('not_an_image', `readGeoTiff(): the TIFF header is corrupt or truncated (${(err as Error).message})`, { format }, { cause: err });
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (options.maxPixels !== undefined && width * height > options.maxPixels) {
    throw new ImageDecodeError('too_many_pixels', `readGeoTiff(): the raster is ${width}×${height} = ${width * height} pixels; the limit is ${options.maxPixels}`, { format, width, height, maxPixels: options.maxPixels });
  }
  const bands = image.getSamplesPerPixel();
  let data: unknown;
  try {
    data = await image.readRasters({ interleave: true });
  } catch (err) {
    throw new ImageDecodeError('unsupported_format', `readGeoTiff(): cannot decode the TIFF's pixels (${(err as Error).message})`, { format }, { cause: err });
  }
  if (!isGeoSampleArray(data) || data.length !== width * height * bands) {
    throw new ImageDecodeError('unsupported_format', `readGeoTiff(): unsupported sample layout (${bands} bands of ${image.getBitsPerSample(0)} bits, got ${(data as { constructor?: { name?: string } })?.constructor?.name})`, { format });
  }
  // geotiff.js hangs width/height properties on the array: hand out a plain view of the same samples.
  const samples = new (data.constructor as new (b: ArrayBufferLike, o: number, n: number) => GeoSampleArray)(data.buffer, data.byteOffset, data.length);
  const directory = numbers(await tag(image, 'GeoKeyDirectory'));
  let georef: GeoReference | undefined;
  if (directory !== undefined) {
    const noData = image.getGDALNoData();
    const ascii = await tag(image, 'GeoAsciiParams');
    georef = {
      geoKeyDirectory: directory,
      ...optional('geoDoubleParams', numbers(await tag(image, 'GeoDoubleParams'))),
      ...(typeof ascii === 'string' ? { geoAsciiParams: ascii } : {}),
      ...optional('modelPixelScale', numbers(await tag(image, 'ModelPixelScale'))),
      ...optional('modelTiepoint', numbers(await tag(image, 'ModelTiepoint'))),
      ...optional('modelTransformation', numbers(await tag(image, 'ModelTransformation'))),
      ...(noData !== null && Number.isFinite(noData) ? { noData } : {}),
      geoKeys: { ...(image.getGeoKeys() ?? {}) },
    };
  }
  const sf = image.getSampleFormat(0);
  return { raster: { width, height, bands, data: samples }, georef, bitsPerSample: image.getBitsPerSample(0), sampleFormat: sf === 2 || sf === 3 ? sf : 1 };
}

function optional<K extends string>(key: K, v: number[] | undefined): Partial<Record<K, number[]>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number[]>);
}

import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { checkBytes, checkInt, checkKnownKeys, checkOneOf } from '../args/check-args.js';
import { readGeoTiff } from '../geotiff/read-geotiff.js';
import { sampleTypeOf } from '../geotiff/tiff-writer.js';
import { geoRasterToImage } from '../geotiff/geo-raster-image.js';
import { ImageDecodeError } from './image-decode-error.js';
import { toChannels, type RasterImage } from './raster-image.js';
import { describeBytes, sniffFormat } from './sniff-format.js';

/** Default pixel limit of decodeImage: 64 Mpx (e.g. 8192²), far above any tile, below what exhausts memory. */
export const DEFAULT_MAX_PIXELS = 64 * 1024 * 1024;

export interface DecodeImageOptions {
  /** Refuse images with more than width × height pixels, checked from the header before decoding. */
  readonly maxPixels?: number;
  /** Convert to this many channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA; see toChannels); default: as stored. */
  readonly channels?: 1 | 2 | 3 | 4;
}

/**
 * Decodes PNG, JPEG or TIFF bytes (8 or 16 bits per sample; grey, grey+alpha, RGB, RGBA, palette; TIFFs with
 * more bands, e.g. multispectral, keep every band in file order) into a RasterImage with values in [0, 1]:
 * codes divided by 255 or 65535, no colour management. JPEG EXIF orientation is applied, so width and height
 * are those of the upright picture. The format is sniffed from the bytes, never taken from a name.
 *
 * Throws ImageDecodeError: `not_an_image` (not PNG/JPEG/TIFF, or corrupt), `unsupported_format` (GIF, WebP,
 * BMP…, or TIFF samples that are not unsigned integers — read those with readGeoTiff), `too_many_pixels`.
 *
 * @example
 * const img = await decodeImage(await readFile('tile.png'), { maxPixels: 4096 * 4096, channels: 3 });
 * const x = tf.tensor3d(img.data, [img.height, img.width, img.channels]);
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<RasterImage> {
  const fn = 'decodeImage';
  checkBytes(fn, 'bytes', bytes);
  checkKnownKeys(fn, 'options', options, ['maxPixels', 'channels']);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  checkInt(fn, 'options.maxPixels', maxPixels, 1);
  if (options.channels !== undefined) checkOneOf(fn, 'options.channels', options.channels, [1, 2, 3, 4]);
  const format = sniffFormat(bytes);
  if (format === 'unknown') throw new ImageDecodeError('not_an_image', `${fn}(): expected PNG, JPEG or TIFF bytes; got ${describeBytes(bytes)}`, { format });
  if (format !== 'png' && format !== 'jpeg' && format !== 'tiff') {
    throw new ImageDecodeError('unsupported_format', `${fn}(): expected PNG, JPEG or TIFF; got a ${format.toUpperCase()} image`, { format });
  }
  const img = await decodeSupported(fn, bytes, format, maxPixels);
  if (options.channels === undefined || img.channels === options.channels) return img;
  if (img.channels > 4) {
    throw new ImageDecodeError('unsupported_format', `${fn}(): the image has ${img.channels} bands, which have no conversion to ${options.channels} channel(s); pick bands with selectChannels (or readGeoTiff)`, { format });
  }
  return toChannels(img, options.channels);
}

async function decodeSupported(fn: string, bytes: Uint8Array, format: 'png' | 'jpeg' | 'tiff', maxPixels: number): Promise<RasterImage> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    // sharp (libvips) refuses TIFFs with more than 4 bands; geotiff.js reads any band count.
    if (format === 'tiff') return decodeTiffBands(fn, bytes, maxPixels);
    throw new ImageDecodeError('not_an_image', `${fn}(): the ${format.toUpperCase()} data is corrupt or truncated (${(err as Error).message})`, { format }, { cause: err });
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels) {
    throw new ImageDecodeError('too_many_pixels', `${fn}(): the image is ${width}×${height} = ${width * height} pixels; the limit is ${maxPixels}`, { format, width, height, maxPixels });
  }
  const wide = meta.depth === 'ushort';
  if (meta.depth !== 'uchar' && !wide) {
    if (format === 'tiff') return decodeTiffBands(fn, bytes, maxPixels);
    throw new ImageDecodeError('unsupported_format', `${fn}(): ${meta.depth} samples are not supported (8- or 16-bit unsigned only)`, { format });
  }
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  const alpha = meta.hasAlpha === true;
  // libvips converts everything to 8-bit sRGB on output unless told the interpretation to keep; its grey
  // interpretations drop alpha, so grey + alpha is decoded as RGBA (grey replicated exactly) and picked back.
  const viaRgb = grey && alpha;
  const space = grey && !viaRgb ? (wide ? 'grey16' : 'b-w') : wide ? 'rgb16' : 'srgb';
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(bytes, { limitInputPixels: false }).rotate().toColourspace(space).raw(wide ? { depth: 'ushort' } : {}).toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageDecodeError('not_an_image', `${fn}(): the ${format.toUpperCase()} data is corrupt or truncated (${(err as Error).message})`, { format }, { cause: err });
  }
  const { info } = raw;
  const expected = (grey && !viaRgb ? 1 : 3) + (alpha ? 1 : 0);
  if (info.channels !== expected) throw new ImageDecodeError('unsupported_format', `${fn}(): decoded ${info.channels} channels where ${expected} were expected (colour space ${meta.space})`, { format });
  const n = info.width * info.height * info.channels;
  const codes = wide ? new Uint16Array(raw.data.buffer, raw.data.byteOffset, n) : raw.data;
  const scale = 1 / (wide ? 65535 : 255);
  if (viaRgb) {
    const pixels = info.width * info.height;
    const data = new Float32Array(pixels * 2);
    for (let i = 0; i < pixels; i++) {
      data[2 * i] = codes[4 * i] * scale;
      data[2 * i + 1] = codes[4 * i + 3] * scale;
    }
    return { width: info.width, height: info.height, channels: 2, data };
  }
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = codes[i] * scale;
  return { width: info.width, height: info.height, channels: info.channels, data };
}

async function decodeTiffBands(fn: string, bytes: Uint8Array, maxPixels: number): Promise<RasterImage> {
  const { raster } = await readGeoTiff(bytes, { maxPixels });
  if (sampleTypeOf(raster.data).format !== 1) {
    const { bits, format } = sampleTypeOf(raster.data);
    throw new ImageDecodeError('unsupported_format', `${fn}(): the TIFF has ${bits}-bit ${format === 3 ? 'float' : 'signed'} samples, which have no fixed [0, 1] scale; read it with readGeoTiff and map it with geoRasterToImage({range})`, { format: 'tiff' });
  }
  if (raster.data.BYTES_PER_ELEMENT > 2) throw new ImageDecodeError('unsupported_format', `${fn}(): the TIFF has ${raster.data.BYTES_PER_ELEMENT * 8}-bit samples (8 or 16 supported)`, { format: 'tiff' });
  return geoRasterToImage(raster, { range: 'type' });
}

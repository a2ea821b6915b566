import sharp, { type Sharp } from 'sharp';
import { argError, checkInt, checkKnownKeys, checkOneOf } from '../args/check-args.js';
import { encodeTiffImage } from '../geotiff/tiff-writer.js';
import { quantise } from './quantise.js';
import { checkRasterImage, type RasterImage } from './raster-image.js';

function sharpRaw(img: RasterImage, bits: 8 | 16, fn: string): Sharp {
  const codes = quantise(fn, img, bits);
  const s = sharp(codes, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 } });
  // The interpretation must be explicit: libvips otherwise writes grey input as RGB and narrows 16-bit to 8.
  const grey = img.channels <= 2;
  return s.toColourspace(bits === 16 ? (grey ? 'grey16' : 'rgb16') : grey ? 'b-w' : 'srgb');
}

function bitDepthOf(fn: string, options: { bitDepth?: unknown }): 8 | 16 {
  const bitDepth = options.bitDepth ?? 8;
  checkOneOf(fn, 'options.bitDepth', bitDepth, [8, 16]);
  return bitDepth;
}

/** PNG of a grey, grey+alpha, RGB or RGBA image, 8 or 16 bits per sample (lossless). */
export async function encodePng(img: RasterImage, options: { bitDepth?: 8 | 16 } = {}): Promise<Uint8Array> {
  checkRasterImage('encodePng', 'img', img, [1, 2, 3, 4]);
  checkKnownKeys('encodePng', 'options', options, ['bitDepth']);
  const bits = bitDepthOf('encodePng', options);
  return new Uint8Array(await sharpRaw(img, bits, 'encodePng').png({ compressionLevel: 6 }).toBuffer());
}

/** Baseline JPEG (8-bit, 4:2:0 chroma for RGB) of a grey or RGB image; quality 1…100, default 90. */
export async function encodeJpeg(img: RasterImage, options: { quality?: number } = {}): Promise<Uint8Array> {
  checkRasterImage('encodeJpeg', 'img', img);
  checkKnownKeys('encodeJpeg', 'options', options, ['quality']);
  if (img.channels !== 1 && img.channels !== 3) throw argError('encodeJpeg', 'img.channels', '1 (grey) or 3 (RGB); JPEG has no alpha: drop it with toChannels(img, 3)', img.channels);
  const quality = options.quality ?? 90;
  checkInt('encodeJpeg', 'options.quality', quality, 1, 100);
  return new Uint8Array(await sharpRaw(img, 8, 'encodeJpeg').jpeg({ quality, mozjpeg: false }).toBuffer());
}

/**
 * Uncompressed TIFF, 8 or 16 bits per sample, any number of channels (1 grey, 3 RGB, +1 alpha; other counts
 * are written as plain bands). For georeferenced output use writeGeoTiff.
 */
export function encodeTiff(img: RasterImage, options: { bitDepth?: 8 | 16 } = {}): Uint8Array {
  checkRasterImage('encodeTiff', 'img', img);
  checkKnownKeys('encodeTiff', 'options', options, ['bitDepth']);
  const bits = bitDepthOf('encodeTiff', options);
  const rgb = img.channels === 3 || img.channels === 4;
  const colour = rgb ? 3 : 1;
  const alpha = img.channels === 2 || img.channels === 4;
  const extra = img.channels - colour;
  return encodeTiffImage({
    width: img.width,
    height: img.height,
    bands: img.channels,
    data: quantise('encodeTiff', img, bits),
    photometric: rgb ? 2 : 1,
    ...(extra > 0 ? { extraSamples: Array.from({ length: extra }, () => (alpha ? 2 : 0)) } : {}),
  });
}

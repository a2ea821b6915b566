import { readFile, rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { argError, checkInt, checkKnownKeys } from '../args/check-args.js';
import { decodeImage, type DecodeImageOptions } from './decode-image.js';
import { encodeJpeg, encodePng, encodeTiff } from './encode-image.js';
import { checkRasterImage, type RasterImage } from './raster-image.js';

/** Reads and decodes a PNG, JPEG or TIFF file (see decodeImage). */
export async function readImage(path: string, options: DecodeImageOptions = {}): Promise<RasterImage> {
  if (typeof path !== 'string' || path === '') throw argError('readImage', 'path', 'a file path', path);
  return decodeImage(await readFile(path), options);
}

export interface WriteImageOptions {
  /** PNG and TIFF: 8 (default) or 16 bits per sample. */
  readonly bitDepth?: 8 | 16;
  /** JPEG quality 1…100 (default 90). */
  readonly quality?: number;
}

/**
 * Encodes `img` by the file extension (.png, .jpg/.jpeg, .tif/.tiff) and writes it atomically (temporary
 * file + rename), so a reader never sees half a file.
 */
export async function writeImage(path: string, img: RasterImage, options: WriteImageOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path === '') throw argError('writeImage', 'path', 'a file path', path);
  checkRasterImage('writeImage', 'img', img);
  checkKnownKeys('writeImage', 'options', options, ['bitDepth', 'quality']);
  const ext = extname(path).toLowerCase();
  let bytes: Uint8Array;
  if (ext === '.png') bytes = await encodePng(img, options.bitDepth === undefined ? {} : { bitDepth: options.bitDepth });
  else if (ext === '.jpg' || ext === '.jpeg') {
    if (options.quality !== undefined) checkInt('writeImage', 'options.quality', options.quality, 1, 100);
    bytes = await encodeJpeg(img, options.quality === undefined ? {} : { quality: options.quality });
  } else if (ext === '.tif' || ext === '.tiff') bytes = encodeTiff(img, options.bitDepth === undefined ? {} : { bitDepth: options.bitDepth });
  else throw argError('writeImage', 'path', 'a name ending in .png, .jpg, .jpeg, .tif or .tiff', path);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

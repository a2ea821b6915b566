import { HttpError, type UploadedBody } from '@moe/service';
import { decodeImage, ImageDecodeError, readGeoTiff, type DecodeImageOptions, type GeoTiff, type RasterImage } from '@moe/vision';

/** Content types an image route accepts (pair with `upload: { contentTypes: IMAGE_CONTENT_TYPES, maxBytes }`). */
export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/tiff'] as const;

/**
 * The service answer for an image that cannot be used: 415 for bytes that are not a decodable image (the
 * client sent the wrong thing), 413 for too many pixels (like a body past its size limit). Other errors are
 * returned unchanged (they are bugs: a 500).
 */
export function imageDecodeErrorToHttp(err: unknown, contentType?: string): unknown {
  if (!(err instanceof ImageDecodeError)) return err;
  const declared = contentType ? ` (sent as ${contentType})` : '';
  // Drop the "decodeImage(): " prefix: the client did not call a function.
  const message = err.message.replace(/^\w+\(\): /, '');
  if (err.code === 'too_many_pixels') return new HttpError('payload_too_large', message, { path: 'body', cause: err });
  return new HttpError('unsupported_media_type', `${message}${declared}`, { path: 'body', cause: err });
}

export interface UploadedImageOptions extends DecodeImageOptions {
  /** Required for uploads: a client must not be able to make the service decode an arbitrarily large image. */
  readonly maxPixels: number;
}

const KNOWN_OPTIONS: readonly string[] = ['maxPixels', 'channels'];

/** A value as the argument errors of @moe/vision show it (numbers and the like as they are, strings quoted). */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? `array(${value.length})` : `object with keys [${Object.keys(value).slice(0, 8).join(', ')}]`;
  return typeof value === 'function' || typeof value === 'symbol' ? typeof value : String(value);
}

/** The caller's mistakes (a programming error, not the client's): TypeErrors naming the function and argument. */
function checkUploadArgs(fn: string, bytes: unknown, options: UploadedImageOptions | undefined): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}(): bytes must be the upload's Uint8Array (ctx.upload.bytes); got ${typeof bytes}`);
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${fn}(): options must be an options object; got ${shown(options)}`);
    const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.includes(k));
    if (unknown.length) throw new TypeError(`${fn}(): options has unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; known: ${KNOWN_OPTIONS.join(', ')}`);
  }
  const maxPixels = options?.maxPixels;
  if (typeof maxPixels !== 'number' || !Number.isInteger(maxPixels) || maxPixels < 1) throw new TypeError(`${fn}(): options.maxPixels must be an integer ≥ 1; got ${shown(maxPixels)}`);
}

/**
 * Decodes an uploaded PNG/JPEG/TIFF for a route handler, answering 415 (not an image / unsupported) or 413
 * (more than maxPixels) in the service's JSON error format, so no app writes that mapping itself.
 *
 * @example
 * handler: async ({ upload }) => {
 *   const img = await decodeUploadedImage(upload!.bytes, upload!.contentType, { maxPixels: 2048 * 2048, channels: 3 });
 * }
 */
export async function decodeUploadedImage(bytes: Uint8Array, contentType: string | undefined, options: UploadedImageOptions): Promise<RasterImage> {
  checkUploadArgs('decodeUploadedImage', bytes, options);
  try {
    return await decodeImage(bytes, options);
  } catch (err) {
    throw imageDecodeErrorToHttp(err, contentType);
  }
}

/** readGeoTiff for an upload: 415 for what is not a readable TIFF, 413 past maxPixels (samples and georeferencing kept). */
export async function readUploadedGeoTiff(body: UploadedBody, options: { maxPixels: number }): Promise<GeoTiff> {
  checkUploadArgs('readUploadedGeoTiff', body?.bytes, options);
  try {
    return await readGeoTiff(body.bytes, { maxPixels: options.maxPixels });
  } catch (err) {
    throw imageDecodeErrorToHttp(err, body.contentType);
  }
}

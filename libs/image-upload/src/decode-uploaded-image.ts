import { HttpError, type UploadedBody } from '@moe/service';
import { checkInt, checkKnownKeys } from '@moe/vision/args';
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

/** The caller's mistakes (a programming error, not the client's), reported as @moe/vision reports its own. */
function checkUploadArgs(fn: string, bytes: unknown, options: UploadedImageOptions): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}(): bytes must be the upload's Uint8Array (ctx.upload.bytes); got ${typeof bytes}`);
  checkKnownKeys(fn, 'options', options, ['maxPixels', 'channels']);
  checkInt(fn, 'options.maxPixels', options?.maxPixels, 1);
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

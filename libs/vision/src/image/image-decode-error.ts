/**
 * Why bytes could not be turned into an image. `not_an_image`: the bytes are not PNG, JPEG or TIFF (or are
 * truncated/corrupt); `unsupported_format`: a real image this library does not decode (GIF, WebP, BMP, float
 * TIFF samples…); `too_many_pixels`: width × height is above the caller's `maxPixels`.
 */
export type ImageDecodeErrorCode = 'not_an_image' | 'unsupported_format' | 'too_many_pixels';

export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly code: ImageDecodeErrorCode,
    message: string,
    /** What was found: the sniffed format, or for too_many_pixels the image's size. */
    readonly details: { readonly format?: string; readonly width?: number; readonly height?: number; readonly maxPixels?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isImageDecodeError(err: unknown): err is ImageDecodeError {
  return err instanceof ImageDecodeError;
}

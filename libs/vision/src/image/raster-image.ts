import { argError, checkInt, checkOneOf } from '../args/check-args.js';

/**
 * An image in memory: `height × width × channels` samples in [0, 1], interleaved row-major (HWC), the layout
 * a `tf.tensor3d(data, [height, width, channels])` takes as is.
 *
 * Channel order: 1 = grey, 2 = grey + alpha, 3 = R, G, B, 4 = R, G, B, A (alpha straight, not premultiplied).
 * Multi-band rasters read from a TIFF keep the file's band order (e.g. Landsat bands 1…6). Values are the
 * stored sample codes divided by their maximum (255 or 65535): sRGB-encoded, no colour management.
 */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/** A new image; zero-filled when `data` is omitted. */
export function createRasterImage(width: number, height: number, channels: number, data?: Float32Array): RasterImage {
  checkInt('createRasterImage', 'width', width, 1);
  checkInt('createRasterImage', 'height', height, 1);
  checkInt('createRasterImage', 'channels', channels, 1);
  const n = width * height * channels;
  if (data !== undefined && (!(data instanceof Float32Array) || data.length !== n)) {
    throw argError('createRasterImage', 'data', `a Float32Array of width·height·channels = ${n} values`, data);
  }
  return { width, height, channels, data: data ?? new Float32Array(n) };
}

/**
 * Throws unless `img` is a well-formed RasterImage (positive integer sizes, a Float32Array of the right
 * length). Values are not scanned here: encoders clamp them and reject NaN themselves.
 */
export function checkRasterImage(fn: string, arg: string, img: unknown, channels?: readonly number[]): asserts img is RasterImage {
  if (typeof img !== 'object' || img === null) throw argError(fn, arg, 'a RasterImage {width, height, channels, data}', img);
  const { width, height, channels: c, data } = img as Partial<RasterImage>;
  checkInt(fn, `${arg}.width`, width, 1);
  checkInt(fn, `${arg}.height`, height, 1);
  checkInt(fn, `${arg}.channels`, c, 1);
  if (channels !== undefined) checkOneOf(fn, `${arg}.channels`, c, channels);
  const n = width * height * c;
  if (!(data instanceof Float32Array) || data.length !== n) {
    throw argError(fn, `${arg}.data`, `a Float32Array of width·height·channels = ${width}·${height}·${c} = ${n} values`, data);
  }
}

/** ITU-R BT.601 luma weights, the convention of JPEG's Y and of most "to grey" conversions. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Converts between grey, grey+alpha, RGB and RGBA: grey → RGB replicates, RGB → grey takes BT.601 luma,
 * alpha is dropped when the target has none and set to 1 when the source has none. Returns `img` itself when
 * it already has `channels`.
 */
export function toChannels(img: RasterImage, channels: 1 | 2 | 3 | 4): RasterImage {
  checkRasterImage('toChannels', 'img', img, [1, 2, 3, 4]);
  checkOneOf('toChannels', 'channels', channels, [1, 2, 3, 4]);
  if (img.channels === channels) return img;
  const n = img.width * img.height;
  const src = img.data;
  const sc = img.channels;
  const out = new Float32Array(n * channels);
  const srcColour = sc >= 3;
  const srcAlpha = sc === 2 || sc === 4;
  const dstColour = channels >= 3;
  const dstAlpha = channels === 2 || channels === 4;
  for (let i = 0; i < n; i++) {
    const s = i * sc;
    const d = i * channels;
    if (dstColour) {
      if (srcColour) {
        out[d] = src[s];
        out[d + 1] = src[s + 1];
        out[d + 2] = src[s + 2];
      } else out[d] = out[d + 1] = out[d + 2] = src[s];
    } else out[d] = srcColour ? LUMA[0] * src[s] + LUMA[1] * src[s + 1] + LUMA[2] * src[s + 2] : src[s];
    if (dstAlpha) out[d + channels - 1] = srcAlpha ? src[s + sc - 1] : 1;
  }
  return { width: img.width, height: img.height, channels, data: out };
}

/** Copies the given channels (indices into `img`'s channels, in the order wanted), e.g. [3, 2, 1] of a Landsat stack. */
export function selectChannels(img: RasterImage, indices: readonly number[]): RasterImage {
  checkRasterImage('selectChannels', 'img', img);
  if (!Array.isArray(indices) || indices.length === 0) throw argError('selectChannels', 'indices', 'a non-empty array of channel indices', indices);
  indices.forEach((c, i) => checkInt('selectChannels', `indices[${i}]`, c, 0, img.channels - 1));
  const n = img.width * img.height;
  const k = indices.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = img.data[i * img.channels + indices[j]];
  return { width: img.width, height: img.height, channels: k, data: out };
}

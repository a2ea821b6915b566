import { checkInt, checkKnownKeys, checkOneOf } from '../args/check-args.js';
import { resizeImage as resizeBilinear } from '../artefacts/resize-image.js';
import { checkRasterImage, createRasterImage, type RasterImage } from '../image/raster-image.js';

/**
 * 'bilinear': pixel-centre-aligned bilinear interpolation (OpenCV INTER_LINEAR, PIL), no anti-aliasing.
 * 'area': when the image shrinks on both axes, each output pixel is the mean of the source pixels under its
 * footprint, partly covered pixels weighted by the covered fraction (OpenCV INTER_AREA): fine, high-frequency
 * texture such as rain streaks is averaged instead of aliased. When either axis is enlarged there is nothing to
 * average and 'area' is bilinear, as INTER_AREA is.
 */
export type ResizeMethod = 'bilinear' | 'area';

export interface ResizeOptions {
  /** Default 'bilinear'. */
  readonly method?: ResizeMethod;
}

const METHODS: readonly ResizeMethod[] = ['bilinear', 'area'];

function checkResizeOptions(fn: string, options: ResizeOptions): ResizeMethod {
  checkKnownKeys(fn, 'options', options, ['method']);
  const method = options.method ?? 'bilinear';
  checkOneOf(fn, 'options.method', method, METHODS);
  return method;
}

/** Source pixels under each output pixel's footprint along one axis, with their covered fractions. */
interface AxisFootprint {
  /** First source index per output index. */
  readonly start: Int32Array;
  /** Offsets into `weights` per output index (length n + 1). */
  readonly offset: Int32Array;
  /** Covered fraction of each source pixel, normalised so each output's weights sum to 1. */
  readonly weights: Float64Array;
}

/** Output pixel i covers source [i·n/m, (i+1)·n/m); computed as products first so the last edge is exactly n. */
function axisFootprint(n: number, m: number): AxisFootprint {
  const start = new Int32Array(m);
  const offset = new Int32Array(m + 1);
  const weights: number[] = [];
  for (let i = 0; i < m; i++) {
    const a = (i * n) / m, b = ((i + 1) * n) / m;
    start[i] = Math.floor(a);
    offset[i] = weights.length;
    for (let s = Math.floor(a); s < Math.min(Math.ceil(b), n); s++) weights.push((Math.min(b, s + 1) - Math.max(a, s)) / (b - a));
  }
  offset[m] = weights.length;
  return { start, offset, weights: Float64Array.from(weights) };
}

/** Area averaging, separable: rows first into a width' × height double buffer, then columns. */
function resizeArea(img: RasterImage, width: number, height: number): RasterImage {
  const { width: w, height: h, channels: c, data } = img;
  const fx = axisFootprint(w, width), fy = axisFootprint(h, height);
  const rows = new Float64Array(width * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * c;
      for (let j = fx.offset[x], s = fx.start[x]; j < fx.offset[x + 1]; j++, s++) {
        const wt = fx.weights[j], p = (y * w + s) * c;
        for (let k = 0; k < c; k++) rows[o + k] += wt * data[p + k];
      }
    }
  }
  // Columns accumulate in doubles too: summing straight into the Float32Array would round at every term.
  const acc = new Float64Array(width * height * c);
  for (let y = 0; y < height; y++) {
    for (let j = fy.offset[y], s = fy.start[y]; j < fy.offset[y + 1]; j++, s++) {
      const wt = fy.weights[j];
      for (let i = 0, o = y * width * c, p = s * width * c; i < width * c; i++) acc[o + i] += wt * rows[p + i];
    }
  }
  return createRasterImage(width, height, c, Float32Array.from(acc));
}

/**
 * Resamples `img` (any channel count) to width × height.
 *
 * @example
 * const small = resizeImage(photo, 160, 107, { method: 'area' }); // anti-aliased downscale
 */
export function resizeImage(img: RasterImage, width: number, height: number, options: ResizeOptions = {}): RasterImage {
  const fn = 'resizeImage';
  checkRasterImage(fn, 'img', img);
  checkInt(fn, 'width', width, 1);
  checkInt(fn, 'height', height, 1);
  const method = checkResizeOptions(fn, options);
  if (method === 'area' && width <= img.width && height <= img.height) return resizeArea(img, width, height);
  return resizeBilinear(img, width, height);
}

/** Scales so the shorter side becomes `side` pixels, keeping the aspect ratio (the longer side is rounded). */
export function resizeShorterSide(img: RasterImage, side: number, options: ResizeOptions = {}): RasterImage {
  const fn = 'resizeShorterSide';
  checkRasterImage(fn, 'img', img);
  checkInt(fn, 'side', side, 1);
  checkResizeOptions(fn, options);
  const s = side / Math.min(img.width, img.height);
  return resizeImage(img, Math.max(1, Math.round(img.width * s)), Math.max(1, Math.round(img.height * s)), options);
}

import { argError } from '../args/check-args.js';
import { checkRasterImage, createRasterImage, type RasterImage } from '../image/raster-image.js';

/**
 * An RGB RasterImage (channels = 3, HWC float32 in [0, 1]) as weather synthesis and the restoration metrics
 * take it. Float so that the physical models (I = J·t + A·(1−t), …) run without 8-bit rounding between steps.
 */
export type FloatRgbImage = RasterImage;

/** A single-channel RasterImage (channels = 1): depth, transmission, streak layer or snow/drop mask. */
export type FloatPlane = RasterImage;

/** Throws naming `arg` unless `image` is an RGB RasterImage with every value in [0, 1]. */
export function checkRgbImage(fn: string, arg: string, image: unknown): asserts image is FloatRgbImage {
  checkRasterImage(fn, arg, image, [3]);
  const data = image.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) throw argError(fn, `${arg}.data[${i}]`, 'a number in [0, 1]', v);
  }
}

/** Throws naming `arg` unless `plane` is a width×height single-channel RasterImage with finite values. */
export function checkPlane(fn: string, arg: string, plane: unknown, width: number, height: number): asserts plane is FloatPlane {
  checkRasterImage(fn, arg, plane, [1]);
  if (plane.width !== width || plane.height !== height) throw argError(fn, arg, `a ${width}×${height} plane like the image`, `${plane.width}×${plane.height}`);
  for (let i = 0; i < plane.data.length; i++) if (!Number.isFinite(plane.data[i])) throw argError(fn, `${arg}.data[${i}]`, 'finite', plane.data[i]);
}

export function createPlane(width: number, height: number, fill = 0): FloatPlane {
  const p = createRasterImage(width, height, 1);
  if (fill !== 0) p.data.fill(fill);
  return p;
}

export function planeOf(width: number, height: number, data: Float32Array): FloatPlane {
  return createRasterImage(width, height, 1, data);
}

export function rgbOf(width: number, height: number, data: Float32Array): FloatRgbImage {
  return createRasterImage(width, height, 3, data);
}

/** Clamps every value of a buffer to [lo, hi] in place. */
export function clampInPlace(data: Float32Array, lo = 0, hi = 1): Float32Array {
  for (let i = 0; i < data.length; i++) data[i] = data[i] < lo ? lo : data[i] > hi ? hi : data[i];
  return data;
}

import { gaussianBlurPlane } from '../weather/plane-filters.js';
import type { RasterImage } from '../image/raster-image.js';

/** Gaussian blur of every channel of a multi-band image (replicate borders), through the weather module's plane filter. */
export function blurImage(img: RasterImage, sigma: number): RasterImage {
  const { width: w, height: h, channels: c } = img;
  const out = new Float32Array(img.data.length);
  const plane = new Float32Array(w * h);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < w * h; i++) plane[i] = img.data[i * c + k];
    const blurred = gaussianBlurPlane({ width: w, height: h, channels: 1, data: plane }, sigma).data;
    for (let i = 0; i < w * h; i++) out[i * c + k] = blurred[i];
  }
  return { width: w, height: h, channels: c, data: out };
}

/** Per-channel mean. */
export function channelMeans(img: RasterImage): Float64Array {
  const m = new Float64Array(img.channels);
  for (let i = 0; i < img.data.length; i++) m[i % img.channels] += img.data[i];
  for (let k = 0; k < img.channels; k++) m[k] /= img.width * img.height;
  return m;
}

/** The value at quantile q ∈ [0, 1] of a field (sorted copy). */
export function quantile(data: Float32Array, q: number): number {
  const s = Float32Array.from(data).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}

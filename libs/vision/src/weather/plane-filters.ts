import { planeOf, type FloatPlane } from './float-image.js';

/** Index clamped to [0, n−1] (replicate border, like MATLAB's 'replicate' and OpenCV's BORDER_REPLICATE). */
function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Normalised 1-D Gaussian kernel of radius ⌈3σ⌉ (σ ≤ 0 gives the identity [1]). */
export function gaussianKernel(sigma: number, radius = Math.ceil(3 * sigma)): Float32Array {
  if (!(sigma > 0)) return Float32Array.of(1);
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Separable Gaussian blur of a plane with replicate borders; returns a new plane. */
export function gaussianBlurPlane(plane: FloatPlane, sigma: number, radius?: number): FloatPlane {
  const { width: w, height: h, data } = plane;
  const k = gaussianKernel(sigma, radius);
  const r = (k.length - 1) / 2;
  if (r === 0) return planeOf(w, h, Float32Array.from(data));
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r] * data[y * w + clampIndex(x + i, w)];
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r] * tmp[clampIndex(y + i, h) * w + x];
      out[y * w + x] = s;
    }
  }
  return planeOf(w, h, out);
}

/** Bilinear sample of a plane at real coordinates (replicate borders). */
export function samplePlane(plane: FloatPlane, x: number, y: number): number {
  const { width: w, height: h, data } = plane;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const xa = clampIndex(x0, w);
  const xb = clampIndex(x0 + 1, w);
  const ya = clampIndex(y0, h);
  const yb = clampIndex(y0 + 1, h);
  const top = data[ya * w + xa] * (1 - fx) + data[ya * w + xb] * fx;
  const bottom = data[yb * w + xa] * (1 - fx) + data[yb * w + xb] * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Linear motion blur (MATLAB `fspecial('motion', len, theta)`): the mean of `length` bilinear samples along a
 * centred segment at `angleDeg` (0° = horizontal, 90° = vertical). Returns a new plane.
 */
export function motionBlurPlane(plane: FloatPlane, length: number, angleDeg: number): FloatPlane {
  const { width: w, height: h } = plane;
  const n = Math.max(1, Math.round(length));
  const out = new Float32Array(w * h);
  if (n === 1) return planeOf(w, h, Float32Array.from(plane.data));
  const a = (angleDeg * Math.PI) / 180;
  // Image y grows downwards, so a positive angle goes up-right as in fspecial.
  const dx = Math.cos(a);
  const dy = -Math.sin(a);
  const half = (n - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const t = i - half;
        s += samplePlane(plane, x + t * dx, y + t * dy);
      }
      out[y * w + x] = s / n;
    }
  }
  return planeOf(w, h, out);
}

/**
 * Upscales a plane by `scale` ≥ 1 (bilinear) and crops a width×height window at (offsetX, offsetY) of the
 * upscaled plane: the Outdoor-Rain generator's `imresize` + random crop of the streak noise.
 */
export function upscaleCropPlane(plane: FloatPlane, scale: number, offsetX: number, offsetY: number): FloatPlane {
  const { width: w, height: h } = plane;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = samplePlane(plane, (x + offsetX) / scale, (y + offsetY) / scale);
  return planeOf(w, h, out);
}

/** Rescales a plane's values linearly to [0, 1] (a constant plane becomes all zeros). */
export function normalisePlane(plane: FloatPlane): FloatPlane {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of plane.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const out = new Float32Array(plane.data.length);
  if (span > 0) for (let i = 0; i < out.length; i++) out[i] = (plane.data[i] - lo) / span;
  return planeOf(plane.width, plane.height, out);
}

/** Channel c (0..2) of an interleaved RGB buffer as a plane. */
export function channelPlane(data: Float32Array, width: number, height: number, c: number): FloatPlane {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * 3 + c];
  return planeOf(width, height, out);
}

/** Applies a plane filter to each RGB channel. */
export function filterRgb(data: Float32Array, width: number, height: number, filter: (p: FloatPlane) => FloatPlane): Float32Array {
  const out = new Float32Array(data.length);
  for (let c = 0; c < 3; c++) {
    const f = filter(channelPlane(data, width, height, c)).data;
    for (let i = 0; i < f.length; i++) out[i * 3 + c] = f[i];
  }
  return out;
}

import { channelPlane, gaussianKernel } from '../weather/plane-filters.js';
import type { FloatPlane, FloatRgbImage } from '../weather/float-image.js';
import { checkSameSize } from './psnr.js';

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** Gaussian window size (default 11). */
  windowSize?: number;
  /** Gaussian window σ (default 1.5). */
  sigma?: number;
  /** Stabilisers K1, K2 (default 0.01, 0.03) with dynamic range L = 1. */
  k1?: number;
  k2?: number;
}

/**
 * Structural similarity (Wang et al. 2004) on RGB in [0, 1]: an 11×11 Gaussian window with σ = 1.5,
 * C1 = (0.01)², C2 = (0.03)², computed per channel over the 'valid' window positions only (no padding,
 * as piq and the reference MATLAB code do), averaged over positions, then over the three channels.
 * Images smaller than the window use a window of their shorter side.
 */
export function ssim(restored: FloatRgbImage, reference: FloatRgbImage, options: SsimOptions = {}): number {
  checkSameSize('ssim', restored, reference);
  const size = options.windowSize ?? 11;
  const sigma = options.sigma ?? 1.5;
  const k1 = options.k1 ?? 0.01;
  const k2 = options.k2 ?? 0.03;
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) throw new Error(`ssim: options.windowSize must be an odd positive integer; got ${String(size)}`);
  if (!(sigma > 0)) throw new Error(`ssim: options.sigma must be > 0; got ${String(sigma)}`);
  if (!(k1 > 0) || !(k2 > 0)) throw new Error(`ssim: options.k1 and options.k2 must be > 0; got ${String(k1)}, ${String(k2)}`);
  const { width, height } = restored;
  let win = Math.min(size, width % 2 === 1 ? width : width - 1, height % 2 === 1 ? height : height - 1);
  if (win < 1) win = 1;
  const kernel = gaussianKernel(sigma, (win - 1) / 2);
  let total = 0;
  for (let c = 0; c < 3; c++) {
    total += ssimPlane(channelPlane(restored.data, width, height, c), channelPlane(reference.data, width, height, c), kernel, (k1 * 1) ** 2, (k2 * 1) ** 2);
  }
  return total / 3;
}

/** Mean SSIM of two planes with a separable window over valid positions. */
function ssimPlane(x: FloatPlane, y: FloatPlane, kernel: Float32Array, c1: number, c2: number): number {
  const w = x.width;
  const h = x.height;
  const n = kernel.length;
  const ow = w - n + 1;
  const oh = h - n + 1;
  const products = [x.data, y.data, mul(x.data, x.data), mul(y.data, y.data), mul(x.data, y.data)];
  const [mx, my, sxx, syy, sxy] = products.map((p) => validFilter(p, w, h, kernel));
  let sum = 0;
  for (let i = 0; i < ow * oh; i++) {
    const mux = mx[i];
    const muy = my[i];
    const vx = sxx[i] - mux * mux;
    const vy = syy[i] - muy * muy;
    const cov = sxy[i] - mux * muy;
    sum += ((2 * mux * muy + c1) * (2 * cov + c2)) / ((mux * mux + muy * muy + c1) * (vx + vy + c2));
  }
  return sum / (ow * oh);
}

function mul(a: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
}

/** Separable 'valid' filtering in float64 (variances are differences of close numbers). */
function validFilter(data: ArrayLike<number>, w: number, h: number, k: Float32Array): Float64Array {
  const n = k.length;
  const ow = w - n + 1;
  const oh = h - n + 1;
  const tmp = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i] * data[y * w + x + i];
      tmp[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i] * tmp[(y + i) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

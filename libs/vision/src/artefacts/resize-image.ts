import { argError, checkInt, checkKnownKeys, checkNumber } from '../args/check-args.js';
import { checkRasterImage, type RasterImage } from '../image/raster-image.js';
import { blurImage } from './image-planes.js';

/**
 * Bilinear resize with pixel-centre alignment (output pixel i samples source position (i + 0.5)·W/W' − 0.5,
 * like OpenCV's INTER_LINEAR and PIL). No anti-aliasing: see changeGsd for downsampling.
 */
export function resizeImage(img: RasterImage, width: number, height: number): RasterImage {
  const fn = 'resizeImage';
  checkRasterImage(fn, 'img', img);
  checkInt(fn, 'width', width, 1);
  checkInt(fn, 'height', height, 1);
  const { width: w, height: h, channels: c, data } = img;
  const out = new Float32Array(width * height * c);
  const sx = w / width, sy = h / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, h - 1), ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, w - 1), tx = fx - x0;
      for (let k = 0; k < c; k++) {
        const a = data[(y0 * w + x0) * c + k], b = data[(y0 * w + x1) * c + k];
        const d = data[(y1 * w + x0) * c + k], e = data[(y1 * w + x1) * c + k];
        out[(y * width + x) * c + k] = (a + (b - a) * tx) * (1 - ty) + (d + (e - d) * tx) * ty;
      }
    }
  }
  return { width, height, channels: c, data: out };
}

/** Nearest-neighbour resize of a label map (class ids are not interpolated). */
export function resizeLabels(labels: Uint8Array, width: number, height: number, newWidth: number, newHeight: number): Uint8Array {
  const fn = 'resizeLabels';
  checkInt(fn, 'width', width, 1);
  checkInt(fn, 'height', height, 1);
  checkInt(fn, 'newWidth', newWidth, 1);
  checkInt(fn, 'newHeight', newHeight, 1);
  if (!(labels instanceof Uint8Array) || labels.length !== width * height) throw argError(fn, 'labels', `a Uint8Array of width·height = ${width * height} class ids`, labels);
  const out = new Uint8Array(newWidth * newHeight);
  for (let y = 0; y < newHeight; y++) {
    const sy = Math.min(h(y, height, newHeight), height - 1);
    for (let x = 0; x < newWidth; x++) out[y * newWidth + x] = labels[sy * width + Math.min(h(x, width, newWidth), width - 1)];
  }
  return out;
}
const h = (i: number, n: number, m: number): number => Math.floor(((i + 0.5) * n) / m);

export interface GsdOptions {
  /** Resample back to the original size (default true): the same pixel grid with the detail of the coarser GSD. */
  readonly keepSize?: boolean;
}

/**
 * A ground-sampling-distance change by `factor` = old GSD / new GSD (0.55 ≈ 5 → 9 cm, as Potsdam → Vaihingen):
 * Gaussian anti-aliasing (σ = (1/factor − 1)/2, skimage's rescale rule) then bilinear resampling; factor > 1
 * upsamples (finer grid, no new detail).
 */
export function changeGsd(img: RasterImage, factor: number, options: GsdOptions = {}): RasterImage {
  const fn = 'changeGsd';
  checkRasterImage(fn, 'img', img);
  checkNumber(fn, 'factor', factor, 0.01, 100);
  checkKnownKeys(fn, 'options', options, ['keepSize']);
  const nw = Math.max(1, Math.round(img.width * factor));
  const nh = Math.max(1, Math.round(img.height * factor));
  const sigma = factor < 1 ? (1 / factor - 1) / 2 : 0;
  const coarse = resizeImage(sigma > 0 ? blurImage(img, sigma) : img, nw, nh);
  return options.keepSize === false ? coarse : resizeImage(coarse, img.width, img.height);
}

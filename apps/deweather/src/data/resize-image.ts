import { createRasterImage, type RasterImage } from '@moe/vision';

/**
 * Resamples an image to width×height: area averaging when shrinking (no aliasing of fine texture such as
 * rain streaks), bilinear when enlarging. Any channel count.
 */
export function resizeImage(img: RasterImage, width: number, height: number): RasterImage {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) throw new Error(`resizeImage: width and height must be positive integers; got ${width}×${height}`);
  const c = img.channels;
  const out = new Float32Array(width * height * c);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * c;
      if (sx >= 1 && sy >= 1) {
        // Area average over the source box [x·sx, (x+1)·sx) × [y·sy, (y+1)·sy) with fractional edge weights.
        const x0 = x * sx, x1 = x0 + sx, y0 = y * sy, y1 = y0 + sy;
        let wsum = 0;
        for (let yy = Math.floor(y0); yy < Math.ceil(y1); yy++) {
          const wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
          for (let xx = Math.floor(x0); xx < Math.ceil(x1); xx++) {
            const w = wy * (Math.min(x1, xx + 1) - Math.max(x0, xx));
            const i = (Math.min(yy, img.height - 1) * img.width + Math.min(xx, img.width - 1)) * c;
            for (let ch = 0; ch < c; ch++) out[o + ch] += w * img.data[i + ch];
            wsum += w;
          }
        }
        for (let ch = 0; ch < c; ch++) out[o + ch] /= wsum;
      } else {
        const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
        const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
        const xa = Math.floor(fx), ya = Math.floor(fy);
        const xb = Math.min(img.width - 1, xa + 1), yb = Math.min(img.height - 1, ya + 1);
        const ax = fx - xa, ay = fy - ya;
        for (let ch = 0; ch < c; ch++) {
          const p = (yy: number, xx: number) => img.data[(yy * img.width + xx) * c + ch];
          out[o + ch] = (p(ya, xa) * (1 - ax) + p(ya, xb) * ax) * (1 - ay) + (p(yb, xa) * (1 - ax) + p(yb, xb) * ax) * ay;
        }
      }
    }
  }
  // Float rounding of the weights can overshoot [0, 1] by an ulp.
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return createRasterImage(width, height, c, out);
}

/** Scales so the shorter side is `side` (keeping the aspect ratio). */
export function resizeShorterSide(img: RasterImage, side: number): RasterImage {
  const s = side / Math.min(img.width, img.height);
  return resizeImage(img, Math.max(1, Math.round(img.width * s)), Math.max(1, Math.round(img.height * s)));
}

/** A width×height window of `img` at (x, y). */
export function cropImage(img: RasterImage, x: number, y: number, width: number, height: number): RasterImage {
  if (x < 0 || y < 0 || x + width > img.width || y + height > img.height) throw new Error(`cropImage: window ${width}×${height} at (${x}, ${y}) is outside the ${img.width}×${img.height} image`);
  const c = img.channels;
  const out = new Float32Array(width * height * c);
  for (let r = 0; r < height; r++) out.set(img.data.subarray(((y + r) * img.width + x) * c, ((y + r) * img.width + x + width) * c), r * width * c);
  return createRasterImage(width, height, c, out);
}

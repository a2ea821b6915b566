import type { RasterImage } from './raster-image.js';

/**
 * [0, 1] samples → integer codes 0…max, rounded, out-of-range values clamped. NaN has no code: it is an
 * error (naming the first bad pixel) rather than a silent black pixel.
 */
export function quantise(fn: string, img: RasterImage, bits: 8 | 16): Uint8Array | Uint16Array {
  const max = bits === 8 ? 255 : 65535;
  const src = img.data;
  const out = bits === 8 ? new Uint8Array(src.length) : new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v !== v) {
      const p = Math.floor(i / img.channels);
      throw new RangeError(`${fn}(): img.data has NaN at pixel (x ${p % img.width}, y ${Math.floor(p / img.width)}), channel ${i % img.channels}`);
    }
    out[i] = Math.round((v > 1 ? 1 : v > 0 ? v : 0) * max);
  }
  return out;
}

import { checkRgbImage, type FloatRgbImage } from '../weather/float-image.js';

/** Throws unless the two images have the same size. */
export function checkSameSize(owner: string, a: FloatRgbImage, b: FloatRgbImage): void {
  checkRgbImage(owner, 'restored', a);
  checkRgbImage(owner, 'reference', b);
  if (a.width !== b.width || a.height !== b.height) throw new Error(`${owner}: restored (${a.width}×${a.height}) and reference (${b.width}×${b.height}) must have the same size`);
}

/**
 * Peak signal-to-noise ratio in dB on RGB in [0, 1] (peak 1), MSE over all pixels and the three channels —
 * the variant MoFME reports (piq on RGB, vision.md §2.3), not the Y channel. Identical images give Infinity.
 */
export function psnr(restored: FloatRgbImage, reference: FloatRgbImage): number {
  checkSameSize('psnr', restored, reference);
  let se = 0;
  const a = restored.data;
  const b = reference.data;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

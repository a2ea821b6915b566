import { describe, expect, it } from 'vitest';
import { createRasterImage } from '../image/raster-image.js';
import { psnr } from './psnr.js';
import { ssim } from './ssim.js';

function noiseImage(width: number, height: number, seed: number) {
  let s = seed;
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = s / 2147483648;
  }
  return createRasterImage(width, height, 3, data);
}

describe('psnr (RGB, peak 1)', () => {
  it('matches −10·log10(MSE)', () => {
    const a = createRasterImage(4, 4, 3, new Float32Array(48).fill(0.5));
    const b = createRasterImage(4, 4, 3, new Float32Array(48).fill(0.6));
    expect(psnr(a, b)).toBeCloseTo(20, 4);
    expect(psnr(a, a)).toBe(Infinity);
  });
  it('refuses images of different sizes', () => {
    expect(() => psnr(createRasterImage(4, 4, 3), createRasterImage(4, 5, 3))).toThrow(/same size/);
  });
});

describe('ssim (Gaussian 11×11, σ = 1.5, valid windows, mean over RGB)', () => {
  it('is 1 for identical images and drops with noise', () => {
    const a = noiseImage(32, 32, 1);
    expect(ssim(a, a)).toBeCloseTo(1, 6);
    const b = createRasterImage(32, 32, 3, a.data.map((v, i) => Math.min(1, Math.max(0, v + (i % 7 === 0 ? 0.3 : -0.05)))));
    const s = ssim(a, b);
    expect(s).toBeLessThan(0.99);
    expect(s).toBeGreaterThan(0);
  });
  it('of a constant shift c between flat images is the luminance term (2μxμy + C1)/(μx² + μy² + C1)', () => {
    const a = createRasterImage(16, 16, 3, new Float32Array(768).fill(0.4));
    const b = createRasterImage(16, 16, 3, new Float32Array(768).fill(0.5));
    const c1 = 0.01 ** 2;
    expect(ssim(a, b)).toBeCloseTo((2 * 0.4 * 0.5 + c1) / (0.16 + 0.25 + c1), 5);
  });
  it('validates its options', () => {
    const a = noiseImage(16, 16, 2);
    expect(() => ssim(a, a, { windowSize: 4 })).toThrow(/windowSize/);
  });
});

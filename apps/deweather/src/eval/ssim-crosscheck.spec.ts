import { describe, expect, it } from 'vitest';
import { ssim as ssimJs } from 'ssim.js';
import { createRasterImage, ssim, synthesizeWeather, type RasterImage } from '@moe/vision';
import { proceduralScene } from '../data/procedural-scene.js';

/** Grey version (R = G = B = luma code), so ssim.js' internal RGB → grey conversion is the identity. */
function greyCodes(img: RasterImage): { rgb: RasterImage; rgba: Uint8ClampedArray } {
  const n = img.width * img.height;
  const data = new Float32Array(n * 3);
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const code = Math.round(255 * (0.299 * img.data[i * 3] + 0.587 * img.data[i * 3 + 1] + 0.114 * img.data[i * 3 + 2]));
    data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = code / 255;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = code;
    rgba[i * 4 + 3] = 255;
  }
  return { rgb: createRasterImage(img.width, img.height, 3, data), rgba };
}

describe('ssim agrees with ssim.js (original algorithm: Gaussian 11×11, σ = 1.5, valid windows)', () => {
  it('on a procedural scene against its rainy, hazy and snowy versions', () => {
    const clean = proceduralScene(72, 48, 5);
    const a = greyCodes(clean);
    for (const type of ['rain', 'haze', 'snow'] as const) {
      const b = greyCodes(synthesizeWeather(clean, type, 3).degraded);
      const ours = ssim(a.rgb, b.rgb);
      const theirs = ssimJs({ data: a.rgba, width: 72, height: 48 }, { data: b.rgba, width: 72, height: 48 }, { ssim: 'original', downsample: false }).mssim;
      expect(Math.abs(ours - theirs), `${type}: ours ${ours}, ssim.js ${theirs}`).toBeLessThan(2e-3);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createRasterImage, type RasterImage } from '../image/raster-image.js';
import { readImage } from '../image/image-files.js';
import { realImagePath } from '../real-images/real-images.js';
import { cropImage } from './crop-image.js';
import { resizeImage, resizeShorterSide } from './resize-image.js';

const constant = (w: number, h: number, c: number, v: number): RasterImage => createRasterImage(w, h, c, new Float32Array(w * h * c).fill(v));
const grey = (w: number, h: number, values: number[]): RasterImage => createRasterImage(w, h, 1, Float32Array.from(values));

describe('resizeImage', () => {
  it('keeps a constant image exactly constant, shrinking and enlarging, with both methods and any channel count', () => {
    const v = Math.fround(0.3);
    for (const method of ['area', 'bilinear'] as const) {
      for (const [w, h] of [[7, 5], [61, 41], [30, 20], [1, 1], [45, 3], [11, 29]]) {
        const out = resizeImage(constant(30, 20, 3, v), w, h, { method });
        expect([out.width, out.height, out.channels]).toEqual([w, h, 3]);
        expect(out.data.every((x) => x === v), `${method} ${w}×${h}`).toBe(true);
      }
    }
    expect(resizeImage(constant(9, 6, 5, v), 4, 4, { method: 'area' }).data.every((x) => x === v)).toBe(true);
  });

  it('area-averages a 4×4 image into 2×2 block means (hand computation)', () => {
    // prettier-ignore
    const img = grey(4, 4, [
      0.1, 0.3, 0.5, 0.7,
      0.5, 0.3, 0.9, 0.1,
      0.0, 0.2, 1.0, 1.0,
      0.4, 0.6, 0.6, 0.2,
    ]);
    const out = resizeImage(img, 2, 2, { method: 'area' });
    // (0.1+0.3+0.5+0.3)/4, (0.5+0.7+0.9+0.1)/4, (0+0.2+0.4+0.6)/4, (1+1+0.6+0.2)/4
    const expected = [0.3, 0.55, 0.3, 0.7];
    out.data.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
    // Bilinear at exactly half size samples between the four pixels too: the same means here.
    resizeImage(img, 2, 2).data.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
  });

  it('weights partly covered source pixels by their covered fraction (3 → 2: footprints [0, 1.5) and [1.5, 3))', () => {
    const out = resizeImage(grey(3, 1, [0.2, 0.8, 0.5]), 2, 1, { method: 'area' });
    expect(out.data[0]).toBeCloseTo((0.2 + 0.5 * 0.8) / 1.5, 6);
    expect(out.data[1]).toBeCloseTo((0.5 * 0.8 + 0.5) / 1.5, 6);
  });

  it('area does not alias one-pixel stripes; bilinear does', () => {
    const stripes = grey(16, 1, Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    const area = resizeImage(stripes, 4, 1, { method: 'area' });
    expect(Array.from(area.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // 16 → 7: bilinear samples fall at ever-shifting phases of the stripes and make a false wave (range 0.86).
    const odd = resizeImage(stripes, 7, 1, { method: 'bilinear' });
    expect(Math.max(...odd.data) - Math.min(...odd.data)).toBeGreaterThan(0.6);
    const oddArea = resizeImage(stripes, 7, 1, { method: 'area' });
    expect(Math.max(...oddArea.data) - Math.min(...oddArea.data)).toBeLessThan(0.2);
  });

  it("'area' enlarging is bilinear (nothing to average), also when only one axis grows", () => {
    const img = grey(3, 2, [0, 0.5, 1, 0.2, 0.4, 0.6]);
    expect(Array.from(resizeImage(img, 7, 5, { method: 'area' }).data)).toEqual(Array.from(resizeImage(img, 7, 5).data));
    expect(Array.from(resizeImage(img, 2, 4, { method: 'area' }).data)).toEqual(Array.from(resizeImage(img, 2, 4).data));
  });

  it('area shrinking of a real photo keeps the mean and stays in [0, 1]', async () => {
    const photo = await readImage(realImagePath('china.jpg'), { channels: 3 });
    const small = resizeImage(photo, 97, 61, { method: 'area' });
    const mean = (img: RasterImage) => img.data.reduce((s, x) => s + x, 0) / img.data.length;
    expect(mean(small)).toBeCloseTo(mean(photo), 4);
    expect(small.data.every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it('names the wrong argument', () => {
    const img = constant(4, 4, 3, 0.5);
    expect(() => resizeImage(img, 0, 2)).toThrow(/resizeImage\(\): width must be an integer ≥ 1; got 0/);
    expect(() => resizeImage(img, 2, 1.5)).toThrow(/resizeImage\(\): height must be an integer ≥ 1; got 1.5/);
    expect(() => resizeImage(img, 2, 2, { method: 'nearest' as 'area' })).toThrow(/resizeImage\(\): options.method must be one of "bilinear", "area"; got "nearest"/);
    expect(() => resizeImage(img, 2, 2, { mode: 'area' } as object)).toThrow(/resizeImage\(\): options has unknown option\(s\) 'mode'/);
    expect(() => resizeImage({ width: 4, height: 4, channels: 3, data: new Float32Array(3) }, 2, 2)).toThrow(/resizeImage\(\): img.data must be a Float32Array of width·height·channels/);
  });
});

describe('resizeShorterSide and cropImage', () => {
  it('resizeShorterSide keeps the aspect ratio and passes the method on', () => {
    const img = grey(40, 20, Array.from({ length: 800 }, (_, i) => (i % 3) / 2));
    const out = resizeShorterSide(img, 10, { method: 'area' });
    expect([out.width, out.height]).toEqual([20, 10]);
    expect(Array.from(out.data)).toEqual(Array.from(resizeImage(img, 20, 10, { method: 'area' }).data));
    expect(() => resizeShorterSide(img, -3)).toThrow(/resizeShorterSide\(\): side must be an integer ≥ 1; got -3/);
  });

  it('cropImage copies the window and refuses one outside the image', () => {
    const img = grey(4, 3, Array.from({ length: 12 }, (_, i) => i / 12));
    expect(Array.from(cropImage(img, 1, 1, 2, 2).data)).toEqual([5, 6, 9, 10].map((i) => Math.fround(i / 12)));
    expect(() => cropImage(img, 3, 0, 2, 2)).toThrow(/cropImage\(\): the window \(x, y, width, height\) must be inside the 4×3 img; got "2×2 at \(3, 0\), reaching \(5, 2\)"/);
    expect(() => cropImage(img, -1, 0, 2, 2)).toThrow(/cropImage\(\): x must be an integer ≥ 0; got -1/);
  });
});

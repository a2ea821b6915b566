import { describe, expect, it } from 'vitest';
import { readImage } from '../image/image-files.js';
import { createRasterImage, type RasterImage } from '../image/raster-image.js';
import { realImagePath } from '../real-images/real-images.js';
import { applyArtefacts, applyArtefactsSync } from './apply-artefacts.js';
import { addClouds } from './clouds.js';
import { addFlatHaze } from './flat-haze.js';
import { jpegArtefacts } from './jpeg-artefacts.js';
import { changeGsd, resizeImage, resizeLabels } from './resize-image.js';
import { BAND_ORDERS, permuteBands, sensorShift } from './sensor-shift.js';
import { addStripeNoise } from './stripe-noise.js';

const flat = (w: number, h: number, c: number, v = 0.5): RasterImage => createRasterImage(w, h, c, new Float32Array(w * h * c).fill(v));
/** Column means of band b. */
function columnMeans(img: RasterImage, b = 0): number[] {
  return Array.from({ length: img.width }, (_, x) => {
    let s = 0;
    for (let y = 0; y < img.height; y++) s += img.data[(y * img.width + x) * img.channels + b];
    return s / img.height;
  });
}
/** Mean absolute high-frequency energy: |x − mean of 4 neighbours| (a sharpness measure). */
function detail(img: RasterImage): number {
  const { width: w, height: h, channels: c, data } = img;
  let s = 0;
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) for (let k = 0; k < c; k++) {
    const i = (y * w + x) * c + k;
    s += Math.abs(data[i] - (data[i - c] + data[i + c] + data[i - w * c] + data[i + w * c]) / 4);
  }
  return s / ((w - 2) * (h - 2) * c);
}

describe('stripe noise', () => {
  it('non-periodic: r·W columns shifted by ±I, half each, plus small noise', () => {
    const r = addStripeNoise(flat(200, 50, 1), 3, { ratio: [0.2, 0.2], intensity: [0.2, 0.2], noiseStd: 0 });
    const offsets = Array.from(r.lineOffset);
    expect(offsets.filter((o) => o > 0).length).toBe(20);
    expect(offsets.filter((o) => o < 0).length).toBe(20);
    const means = columnMeans(r.image);
    means.forEach((m, x) => expect(m).toBeCloseTo(0.5 + offsets[x], 5));
  });

  it('periodic: stripes every p-th column; gain-offset: every column its own affine map', () => {
    const p = addStripeNoise(flat(100, 10, 1), 4, { kind: 'periodic', period: [7, 7], noiseStd: 0 });
    const striped = Array.from(p.lineOffset).flatMap((o, x) => (o !== 0 ? [x] : []));
    expect(striped.length).toBeGreaterThanOrEqual(14);
    for (let i = 1; i < striped.length; i++) expect(striped[i] - striped[i - 1]).toBe(7);
    const g = addStripeNoise(flat(64, 8, 2, 0.4), 5, { kind: 'gain-offset' });
    const m = columnMeans(g.image, 1);
    m.forEach((v, x) => expect(v).toBeCloseTo(g.lineGain[64 + x] * 0.4 + g.lineOffset[64 + x], 5));
    expect(new Set(Array.from(g.lineGain.subarray(0, 64)).map((v) => v.toFixed(4))).size).toBeGreaterThan(50);
  });

  it('is seeded, and names bad options', () => {
    const img = flat(32, 32, 3);
    expect(addStripeNoise(img, 9).image.data).toEqual(addStripeNoise(img, 9).image.data);
    expect(addStripeNoise(img, 9).image.data).not.toEqual(addStripeNoise(img, 10).image.data);
    expect(() => addStripeNoise(img, 1, { kind: 'diagonal' as never })).toThrow(/options.kind must be one of/);
    expect(() => addStripeNoise(img, 1, { ratio: [0.5, 0.1] })).toThrow(/options.ratio must be a \[lo, hi\] pair/);
    expect(() => addStripeNoise(img, -1)).toThrow(/seed must be a non-negative integer; got -1/);
  });
});

describe('clouds', () => {
  it('covers about the requested share, brightens under cloud, darkens the shadow, keeps cloud-free ground', () => {
    const img = flat(128, 128, 3, 0.3);
    const r = addClouds(img, 11, { coverage: [0.4, 0.4], maxOpacity: [1, 1], shadow: [0.25, 0.25], blur: 0 });
    const covered = Array.from(r.cloud).filter((a) => a > 0).length / r.cloud.length;
    expect(covered).toBeGreaterThan(0.35);
    expect(covered).toBeLessThan(0.45);
    const thick = r.cloud.findIndex((a) => a > 0.9);
    expect(r.image.data[thick * 3]).toBeGreaterThan(0.8);
    // Shadow on cloud-free ground: the cloud displaced by the sun offset, darkening by up to 25 %.
    const shaded = Array.from(r.shadow).findIndex((s, i) => s > 0.05 && r.cloud[i] === 0);
    expect(shaded).toBeGreaterThanOrEqual(0);
    expect(r.image.data[shaded * 3]).toBeCloseTo(0.3 * (1 - r.shadow[shaded]), 6);
    expect(Math.max(...r.shadow)).toBeCloseTo(0.25, 2);
    expect(Math.hypot(...r.shadowOffset)).toBeGreaterThan(0.03 * 128 - 1);
    const clear = Array.from(r.cloud).findIndex((a, i) => a === 0 && r.shadow[i] === 0);
    expect(r.image.data[clear * 3]).toBeCloseTo(0.3, 6);
  });

  it('works on any band count and is seeded', () => {
    const six = flat(40, 30, 6, 0.2);
    const a = addClouds(six, 1);
    expect(a.image.channels).toBe(6);
    expect(a.image.data).toEqual(addClouds(six, 1).image.data);
    expect(() => addClouds(six, 1, { coverage: [0, 2] })).toThrow(/options.coverage must be a \[lo, hi\] pair .* ≤ 1/);
  });
});

describe('sensor shift, band permutation, GSD, haze, JPEG', () => {
  it('permutes R, G, B, NIR into NIR-R-G and applies per-band gain/offset/gamma', () => {
    const rgbn = createRasterImage(1, 1, 4, new Float32Array([0.1, 0.2, 0.3, 0.9]));
    expect(Array.from(permuteBands(rgbn, BAND_ORDERS.irrg).data)).toEqual([0.9, 0.1, 0.2].map(Math.fround));
    expect(() => permuteBands(rgbn, [4])).toThrow(/order\[0\] must be an integer in \[0, 3\]; got 4/);
    const s = sensorShift(flat(4, 4, 3, 0.5), 2);
    for (let b = 0; b < 3; b++) expect(s.image.data[b]).toBeCloseTo(Math.min(1, Math.max(0, s.gain[b] * 0.5 ** s.gamma + s.offset[b])), 6);
  });

  it('a coarser GSD removes detail but keeps the mean; resize and label resize keep sizes and ids', async () => {
    const photo = await readImage(realImagePath('aero1.jpg'));
    const coarse = changeGsd(photo, 0.55);
    expect([coarse.width, coarse.height]).toEqual([640, 480]);
    expect(detail(coarse)).toBeLessThan(detail(photo) * 0.6);
    const mean = (im: RasterImage) => im.data.reduce((a, v) => a + v, 0) / im.data.length;
    expect(mean(coarse)).toBeCloseTo(mean(photo), 2);
    expect(changeGsd(photo, 0.5, { keepSize: false }).width).toBe(320);
    const up = resizeImage(createRasterImage(2, 1, 1, new Float32Array([0, 1])), 4, 1);
    expect(Array.from(up.data)).toEqual([0, 0.25, 0.75, 1]);
    expect(Array.from(resizeLabels(new Uint8Array([1, 2, 3, 4]), 2, 2, 4, 4).subarray(0, 4))).toEqual([1, 1, 2, 2]);
  });

  it('flat haze lifts dark pixels towards the airlight nearly uniformly; JPEG changes pixels but keeps shape', async () => {
    const img = flat(64, 64, 3, 0.1);
    const h = addFlatHaze(img, 4, { variation: 0 });
    expect(h.image.data[0]).toBeCloseTo(0.1 * Math.exp(-h.beta) + h.airlight * (1 - Math.exp(-h.beta)), 5);
    expect(h.image.data[0]).toBeCloseTo(h.image.data[h.image.data.length - 1], 6);
    expect(() => addFlatHaze(flat(4, 4, 4), 1)).toThrow(/img.channels must be one of 3/);
    const photo = await readImage(realImagePath('chelsea.png'));
    const j = await jpegArtefacts(photo, 20);
    expect([j.width, j.height, j.channels]).toEqual([photo.width, photo.height, 3]);
    const mad = j.data.reduce((a, v, i) => a + Math.abs(v - photo.data[i]), 0) / j.data.length;
    expect(mad).toBeGreaterThan(0.005);
    expect(mad).toBeLessThan(0.08);
    expect((await jpegArtefacts(flat(16, 16, 4, 0.5), 50)).channels).toBe(4);
  });

  it('applyArtefacts runs the steps in order, honours probability 0 and reports what ran', async () => {
    const img = flat(48, 48, 3, 0.4);
    const r = await applyArtefacts(img, 1, [{ kind: 'stripes' }, { kind: 'clouds', probability: 0 }, { kind: 'jpeg', quality: [50, 50] }, { kind: 'gsd', factor: [0.5, 0.5] }]);
    expect(r.applied).toEqual([{ kind: 'stripes' }, { kind: 'jpeg', value: 50 }, { kind: 'gsd', value: 0.5 }]);
    expect(r.cloud).toBeUndefined();
    await expect(applyArtefacts(img, 1, [{ kind: 'rain' } as never])).rejects.toThrow(/specs\[0\].kind must be one of stripes, clouds/);
    const steps = [{ kind: 'clouds' }, { kind: 'stripes', probability: 0.5 }, { kind: 'gsd', factor: [0.4, 0.7] }] as const;
    const sync = applyArtefactsSync(img, 3, steps);
    const async_ = await applyArtefacts(img, 3, steps);
    expect(sync.image.data).toEqual(async_.image.data);
    expect(sync.applied).toEqual(async_.applied);
    expect(sync.cloud).toBeDefined();
    expect(() => applyArtefactsSync(img, 3, [{ kind: 'jpeg', quality: [50, 60] }])).toThrow(/needs the encoder/);
  });
});

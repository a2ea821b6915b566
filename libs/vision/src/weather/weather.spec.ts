import { describe, expect, it } from 'vitest';
import { createRasterImage } from '../image/raster-image.js';
import { addHaze, addRain, addRaindrops, addSnow, synthesizeWeather, syntheticDepth, weatherRandom, WEATHER_TYPES, type FloatRgbImage } from './index.js';
import { motionBlurPlane } from './plane-filters.js';
import { createPlane } from './float-image.js';

/** A smooth colourful test scene. */
function scene(width = 48, height = 40): FloatRgbImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    data[i] = x / (width - 1);
    data[i + 1] = y / (height - 1);
    data[i + 2] = 0.5 + 0.4 * Math.sin(x / 5) * Math.cos(y / 7);
  }
  return createRasterImage(width, height, 3, data);
}

const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

describe('weather synthesis', () => {
  it('is deterministic in the seed, differs across seeds, and stays in [0, 1]', () => {
    const clean = scene();
    for (const type of WEATHER_TYPES) {
      const a = synthesizeWeather(clean, type, 7);
      const b = synthesizeWeather(clean, type, 7);
      const c = synthesizeWeather(clean, type, 8);
      expect(Array.from(a.degraded.data)).toEqual(Array.from(b.degraded.data));
      expect(Array.from(a.degraded.data)).not.toEqual(Array.from(c.degraded.data));
      expect(a.degraded.width).toBe(clean.width);
      expect(a.degraded.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it('haze follows I = J·t + A·(1−t) with t = exp(−β·d), parameters in the RESIDE ranges', () => {
    const clean = scene();
    const r = addHaze(clean, 3);
    expect(r.airlight).toBeGreaterThanOrEqual(0.7);
    expect(r.airlight).toBeLessThanOrEqual(1);
    expect(r.beta).toBeGreaterThanOrEqual(0.6);
    expect(r.beta).toBeLessThanOrEqual(1.8);
    for (const i of [0, 100, 700, 1919]) {
      const t = r.transmission.data[i];
      expect(t).toBeCloseTo(Math.exp(-r.beta * r.depth.data[i]), 5);
      expect(r.image.data[i * 3 + 1]).toBeCloseTo(clean.data[i * 3 + 1] * t + r.airlight * (1 - t), 5);
    }
  });

  it('rain adds bright streaks under a veil and keeps S, T and A', () => {
    const clean = scene(64, 64);
    const r = addRain(clean, 11);
    expect(r.length).toBeGreaterThanOrEqual(21);
    expect(r.length).toBeLessThanOrEqual(60);
    expect([80, 85, 90, 95, 100]).toContain(r.angle);
    expect(r.beta).toBeGreaterThanOrEqual(2.6);
    expect(r.airlight).toBeLessThanOrEqual(0.95);
    expect(Math.max(...r.streaks.data)).toBeGreaterThan(0.05);
    expect(r.transmission.data.every((t) => t > 0 && t <= 1)).toBe(true);
    // With no veil (β = 0) the image is the blurred scene plus the streaks: brighter on average.
    const noVeil = addRain(clean, 11, { beta: [0, 0] });
    expect(mean(noVeil.image.data)).toBeGreaterThan(mean(clean.data));
  });

  it('snow whitens pixels where the mask is set and nowhere else', () => {
    const clean = scene(64, 64);
    const r = addSnow(clean, 5);
    expect(r.flakes).toBeGreaterThan(0);
    for (let i = 0; i < r.mask.data.length; i++) {
      if (r.mask.data[i] === 0) expect(r.image.data[i * 3]).toBeCloseTo(clean.data[i * 3], 6);
    }
    expect(mean(r.mask.data)).toBeGreaterThan(0.005);
  });

  it('raindrops change pixels only inside the drop mask', () => {
    const clean = scene(64, 64);
    const r = addRaindrops(clean, 9);
    let changedOutside = 0;
    for (let i = 0; i < r.mask.data.length; i++) if (r.mask.data[i] === 0 && r.image.data[i * 3] !== clean.data[i * 3]) changedOutside++;
    expect(changedOutside).toBe(0);
    expect(r.mask.data.some((m) => m > 0.5)).toBe(true);
  });

  it('motion blur spreads a point along the given angle', () => {
    const p = createPlane(21, 21);
    p.data[10 * 21 + 10] = 1;
    const vertical = motionBlurPlane(p, 9, 90);
    expect(vertical.data[6 * 21 + 10]).toBeGreaterThan(0.05);
    expect(vertical.data[10 * 21 + 6]).toBe(0);
    expect(vertical.data.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
  });

  it('synthetic depth is in [0, 1] and far at the top on average', () => {
    const d = syntheticDepth(32, 32, weatherRandom('test', 1));
    expect(Math.min(...d.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.data)).toBeLessThanOrEqual(1);
    expect(mean(d.data.slice(0, 32 * 4))).toBeGreaterThan(mean(d.data.slice(32 * 28)));
  });

  it('rejects bad arguments naming them', () => {
    const clean = scene(8, 8);
    expect(() => synthesizeWeather(clean, 'fog' as never, 1)).toThrow(/type must be one of rain, haze, snow, raindrop/);
    expect(() => addHaze(clean, -1)).toThrow(/seed must be a non-negative integer/);
    expect(() => addHaze(clean, 1, { beta: [2, 1] })).toThrow(/options\.beta/);
    expect(() => addRain({ ...clean, channels: 1 } as FloatRgbImage, 1)).toThrow(/clean/);
    const bad = createRasterImage(8, 8, 3);
    bad.data[5] = Number.NaN;
    expect(() => addSnow(bad, 1)).toThrow(/clean\.data\[5\]/);
    expect(() => addRaindrops(clean, 1, { radius: [0, 3] })).toThrow(/options\.radius/);
    expect(() => addRain(clean, 1, { angles: [] })).toThrow(/options\.angles/);
  });
});

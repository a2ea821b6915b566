import { describe, expect, it } from 'vitest';
import { DEFAULT_STREAM_CONFIG, checkStreamConfig } from './synthetic-config.js';
import { createSyntheticWorld, generateSplit, generateVideo, trapezoid } from './synthetic-streams.js';
import { resampleSegments } from './resample-segments.js';

const world = createSyntheticWorld(DEFAULT_STREAM_CONFIG, 11);

describe('synthetic §4 snippet-feature streams', () => {
  it('is seeded: the same seed gives the same video, another seed another one', () => {
    const a = generateVideo(world, 2, 5, 'a');
    expect(Array.from(generateVideo(world, 2, 5, 'b').features)).toEqual(Array.from(a.features));
    expect(Array.from(generateVideo(world, 2, 6, 'c').features)).not.toEqual(Array.from(a.features));
  });

  it('has an AR(1) background with the configured ρ and unit variance, and no anomalous snippet in normal videos', () => {
    let num = 0;
    let den = 0;
    let sq = 0;
    let n = 0;
    for (let i = 0; i < 40; i++) {
      const v = generateVideo({ ...world, config: { ...world.config, sceneStd: 0 } }, 0, 100 + i, 'n');
      expect(v.label).toBe(0);
      expect(Array.from(v.truth!).every((t) => t === 0)).toBe(true);
      for (let t = 1; t < v.length; t++) for (let d = 0; d < v.dim; d++) {
        num += v.features[t * v.dim + d] * v.features[(t - 1) * v.dim + d];
        den += v.features[(t - 1) * v.dim + d] ** 2;
        sq += v.features[t * v.dim + d] ** 2;
        n++;
      }
    }
    expect(num / den).toBeGreaterThan(0.85);
    expect(num / den).toBeLessThan(0.95);
    expect(sq / n).toBeGreaterThan(0.8);
    expect(sq / n).toBeLessThan(1.2);
  });

  it('adds events along the class direction: long events are longer than bursts, subtle ones weaker', () => {
    const split = generateSplit(world, { normal: 10, anomalousPerClass: 30 }, 'check');
    const classes = split.classes;
    const stats = (name: string) => {
      const vs = split.videos.filter((v) => classes[v.classIndex] === name);
      const fraction = vs.reduce((a, v) => a + v.truth!.reduce((x, y) => x + y, 0) / v.length, 0) / vs.length;
      const dir = world.directions[classes.indexOf(name) - 1];
      let inside = 0;
      let count = 0;
      for (const v of vs) for (let t = 0; t < v.length; t++) if (v.truth![t]) {
        let p = 0;
        for (let d = 0; d < v.dim; d++) p += v.features[t * v.dim + d] * dir[d];
        inside += p;
        count++;
      }
      return { fraction, projection: inside / count };
    };
    const burst = stats('burst');
    const long = stats('long');
    const subtle = stats('subtle');
    expect(split.videos.every((v) => (v.label === 1) === v.truth!.some((t) => t === 1))).toBe(true);
    expect(long.fraction).toBeGreaterThan(3 * burst.fraction);
    expect(subtle.projection).toBeLessThan(burst.projection / 2);
    expect(subtle.projection).toBeGreaterThan(0.8);
    // The erratic class flips sign, so its mean projection is near zero although its amplitude is large.
    expect(Math.abs(stats('erratic').projection)).toBeLessThan(1.5);
  });

  it('ramps events as a trapezoid and resamples videos to fixed segments by mean-pooling', () => {
    expect(Array.from(trapezoid(5, 1))).toEqual([0.5, 1, 1, 1, 0.5]);
    const v = { name: 'v', length: 4, dim: 1, features: Float32Array.from([1, 3, 5, 7]), label: 0 as const, classIndex: 0 };
    expect(Array.from(resampleSegments(v, 2))).toEqual([2, 6]);
    expect(Array.from(resampleSegments(v, 8))).toEqual([1, 1, 3, 3, 5, 5, 7, 7]);
  });

  it('rejects bad configurations naming the field', () => {
    expect(() => checkStreamConfig({ ...DEFAULT_STREAM_CONFIG, rho: 1 })).toThrow(/rho: expected 0 ≤ ρ < 1, got 1/);
    expect(() => checkStreamConfig({ ...DEFAULT_STREAM_CONFIG, length: [10, 5] })).toThrow(/length: expected \[lo, hi\]/);
    expect(() => generateVideo(world, 9, 1, 'x')).toThrow(/classIndex: expected 0…4, got 9/);
  });
});

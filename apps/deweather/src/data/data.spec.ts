import { describe, expect, it } from 'vitest';
import { psnr } from '@moe/vision';
import { loadCleanImages, REAL_IMAGE_SPLITS } from './clean-images.js';
import { makeEvalPairs, TrainPairSampler } from './weather-pairs.js';
import { proceduralScene } from './procedural-scene.js';

describe('deweather data', () => {
  it('splits by image: no real photo and no procedural seed in two splits', async () => {
    const all = Object.values(REAL_IMAGE_SPLITS).flat();
    expect(new Set(all).size).toBe(all.length);
    const images = await loadCleanImages({ side: 32, procedural: { train: 3, val: 2, test: 2 }, real: false });
    const names = [...images.train, ...images.val, ...images.test].map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    expect(images.test.every((i) => i.image.height === 32)).toBe(true);
  });

  it('evaluation pairs are identical on every call and cover every type', async () => {
    const images = await loadCleanImages({ side: 32, procedural: { train: 1, val: 1, test: 1 }, real: false });
    const a = makeEvalPairs(images.test, { crop: 16, cropsPerImage: 2, types: ['rain', 'haze'] });
    const b = makeEvalPairs(images.test, { crop: 16, cropsPerImage: 2, types: ['rain', 'haze'] });
    expect(a.map((p) => p.type)).toEqual(['rain', 'haze', 'rain', 'haze']);
    expect(a.map((p) => Array.from(p.degraded.data.slice(0, 20)))).toEqual(b.map((p) => Array.from(p.degraded.data.slice(0, 20))));
    expect(a.every((p) => psnr(p.degraded, p.clean) < 60)).toBe(true);
  });

  it('the training sampler is seeded and validates its inputs', async () => {
    const images = await loadCleanImages({ side: 32, procedural: { train: 2, val: 1, test: 1 }, real: false });
    const s1 = new TrainPairSampler(images.train, 16, ['snow'], 4).batch(3);
    const s2 = new TrainPairSampler(images.train, 16, ['snow'], 4).batch(3);
    expect(s1.map((p) => p.degraded.data[7])).toEqual(s2.map((p) => p.degraded.data[7]));
    expect(() => new TrainPairSampler(images.train, 64, ['snow'], 1)).toThrow(/smaller than the crop 64/);
    expect(() => new TrainPairSampler(images.train, 16, [], 1)).toThrow(/types must not be empty/);
  });

  it('procedural scenes stay in [0, 1] (resizing and cropping are tested in @moe/vision)', () => {
    const scene = proceduralScene(40, 30, 1);
    expect(scene.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

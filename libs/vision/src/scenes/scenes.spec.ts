import { describe, expect, it } from 'vitest';
import { SCENE_CLASSES, classShares, labelsToImage } from './scene-classes.js';
import { SCENE_DOMAINS, SCENE_DOMAIN_NAMES } from './scene-domain.js';
import { generateScene, generateSceneSync } from './generate-scene.js';
import { loadSceneTextures, proceduralTextures } from './scene-textures.js';

/** Mean of band b over pixels of class `cls`. */
function classBandMean(img: { data: Float32Array; channels: number }, labels: Uint8Array, cls: number, b: number): number {
  let s = 0, n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === cls) {
    s += img.data[i * img.channels + b];
    n++;
  }
  return n ? s / n : NaN;
}

describe('generateScene', () => {
  it('is deterministic per seed and uses the real skimage textures when extracted', async () => {
    const a = await generateScene({ domain: 'urban-rgb', size: 64, seed: 5 });
    const b = await generateScene({ domain: 'urban-rgb', size: 64, seed: 5 });
    const c = await generateScene({ domain: 'urban-rgb', size: 64, seed: 6 });
    expect(a.labels).toEqual(b.labels);
    expect(a.image.data).toEqual(b.image.data);
    expect(a.labels).not.toEqual(c.labels);
    expect(a.textureSource).toBe('real');
    expect((await loadSceneTextures()).source).toBe('real');
  });

  it('has at least 6 classes over a few scenes, and the domains differ in class priors', async () => {
    const textures = await loadSceneTextures();
    const shares = async (domain: 'urban-rgb' | 'rural-rgb') => {
      const sum = new Array<number>(7).fill(0);
      for (let seed = 0; seed < 4; seed++) classShares((await generateScene({ domain, size: 96, seed, textures })).labels, 7).forEach((v, i) => (sum[i] += v / 4));
      return sum;
    };
    const urban = await shares('urban-rgb');
    const rural = await shares('rural-rgb');
    expect(urban.filter((v) => v > 0.005).length + 0).toBeGreaterThanOrEqual(6);
    expect(rural.filter((v) => v > 0.005).length).toBeGreaterThanOrEqual(5);
    const id = (c: string) => SCENE_CLASSES.indexOf(c as never);
    expect(urban[id('building')]).toBeGreaterThan(3 * rural[id('building')]);
    expect(urban[id('road')]).toBeGreaterThan(rural[id('road')]);
    expect(rural[id('agriculture')] + rural[id('forest')]).toBeGreaterThan(urban[id('agriculture')] + urban[id('forest')]);
  });

  it('renders physically sensible bands: vegetation bright in NIR, water dark; IRRG puts NIR first', async () => {
    const s = await generateScene({ domain: 'rural-rgb', size: 128, seed: 3 });
    const forest = SCENE_CLASSES.indexOf('forest'), water = SCENE_CLASSES.indexOf('water');
    expect(classBandMean(s.rgbn, s.labels, forest, 3)).toBeGreaterThan(2 * classBandMean(s.rgbn, s.labels, forest, 0));
    expect(classBandMean(s.rgbn, s.labels, water, 3)).toBeLessThan(0.1);
    const irrg = await generateScene({ domain: { ...SCENE_DOMAINS['rural-rgb'], name: 'rural-irrg-clean', bandOrder: 'irrg' }, size: 128, seed: 3 });
    expect(irrg.labels).toEqual(s.labels);
    for (let i = 0; i < 50; i++) expect(irrg.clean.data[i * 3]).toBe(s.rgbn.data[i * 4 + 3]);
  });

  it('applies the domain artefacts to image but not to clean, and keeps labels', async () => {
    const d = await generateScene({ domain: 'hazy-urban-rgb', size: 64, seed: 2 });
    expect(d.artefacts.map((a) => a.kind)).toEqual(['haze', 'jpeg']);
    expect(d.image.data).not.toEqual(d.clean.data);
    expect(d.labels.length).toBe(64 * 64);
    for (const name of SCENE_DOMAIN_NAMES) {
      const s = await generateScene({ domain: name, size: 48, seed: 1, textures: proceduralTextures() });
      expect([s.image.width, s.image.height, s.image.channels], name).toEqual([48, 48, 3]);
      expect(s.textureSource).toBe('procedural');
      for (const v of s.image.data) if (!(v >= 0 && v <= 1)) throw new Error(`${name}: value ${v} outside [0, 1]`);
    }
  });

  it('generateSceneSync gives the same scene as generateScene, and refuses JPEG domains and missing textures', async () => {
    const textures = await loadSceneTextures();
    const a = await generateScene({ domain: 'rural-irrg-degraded', size: 64, seed: 12, textures });
    const b = generateSceneSync({ domain: 'rural-irrg-degraded', size: 64, seed: 12, textures });
    expect(b.labels).toEqual(a.labels);
    expect(b.image.data).toEqual(a.image.data);
    expect(b.artefacts).toEqual(a.artefacts);
    expect(() => generateSceneSync({ domain: 'hazy-urban-rgb', seed: 1, textures })).toThrow(/a domain without a 'jpeg' artefact step/);
    expect(() => generateSceneSync({ domain: 'urban-rgb', seed: 1 } as never)).toThrow(/options.textures must be preloaded textures/);
  });

  it('paints label maps and names bad options', async () => {
    const img = labelsToImage(new Uint8Array([0, 1, 3, 200]), 2, 2);
    expect(Array.from(img.data.subarray(3, 6))).toEqual([1, 0, 0]);
    expect(Array.from(img.data.subarray(9, 12))).toEqual([0, 0, 0]);
    await expect(generateScene({ domain: 'mars' as never, seed: 1 })).rejects.toThrow(/options.domain must be one of urban-rgb, rural-rgb/);
    await expect(generateScene({ domain: 'urban-rgb', seed: 1, size: 16 })).rejects.toThrow(/options.size must be an integer in \[32, 4096\]; got 16/);
    await expect(generateScene({ domain: { ...SCENE_DOMAINS['urban-rgb'], water: [0.5, 0.1] }, seed: 1 })).rejects.toThrow(/options.domain.water must be a \[lo, hi\] pair/);
    await expect(generateScene({ domain: 'urban-rgb', seed: 1, colour: true } as never)).rejects.toThrow(/unknown option\(s\) 'colour'/);
  });
});

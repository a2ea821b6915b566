import { existsSync } from 'node:fs';
import { readImage } from '../image/image-files.js';
import { fbmNoise } from '../noise/fbm-noise.js';
import { realImagesDir } from '../real-images/real-images.js';
import { join } from 'node:path';
import type { TextureName } from './scene-domain.js';

/** A grey texture normalised to zero mean and unit standard deviation, sampled with wrap-around. */
export interface SceneTexture {
  readonly size: number;
  readonly data: Float32Array;
}

export interface SceneTextures {
  /** 'real': python3-skimage's grass/gravel/brick photos; 'procedural': fBm stand-ins (files not extracted). */
  readonly source: 'real' | 'procedural';
  readonly textures: Readonly<Record<TextureName, SceneTexture>>;
}

const NAMES: readonly TextureName[] = ['grass', 'gravel', 'brick'];

function standardise(data: Float32Array): Float32Array {
  let mean = 0;
  for (const v of data) mean += v;
  mean /= data.length;
  let varSum = 0;
  for (const v of data) varSum += (v - mean) ** 2;
  const std = Math.sqrt(varSum / data.length) || 1;
  return data.map((v) => (v - mean) / std);
}

function cropSquare(data: Float32Array, width: number, height: number): SceneTexture {
  const size = Math.min(width, height);
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = data[y * width + x];
  return { size, data: standardise(out) };
}

let cached: Promise<SceneTextures> | undefined;

/**
 * The textures the scene renderer uses: the real skimage textures when extracted (scripts/
 * extract-real-images.mjs), else procedural fBm ones (said in `source`). `source: 'procedural'` forces the
 * latter. Loaded once per process.
 */
export function loadSceneTextures(source: 'auto' | 'procedural' = 'auto'): Promise<SceneTextures> {
  if (source === 'procedural') return Promise.resolve(proceduralTextures());
  if (source !== 'auto') return Promise.reject(new TypeError(`loadSceneTextures(): source must be 'auto' or 'procedural'; got ${JSON.stringify(source)}`));
  cached ??= (async () => {
    const paths = NAMES.map((n) => join(realImagesDir(), `${n}.png`));
    if (!paths.every((p) => existsSync(p))) return proceduralTextures();
    const entries = await Promise.all(NAMES.map(async (n, i) => {
      const img = await readImage(paths[i], { channels: 1 });
      return [n, cropSquare(img.data, img.width, img.height)] as const;
    }));
    return { source: 'real' as const, textures: Object.fromEntries(entries) as Record<TextureName, SceneTexture> };
  })();
  return cached;
}

/** fBm textures with the grain of each material (fine for gravel, blotchy for grass, blocky rows for brick). */
export function proceduralTextures(): SceneTextures {
  const size = 256;
  const grass = fbmNoise(size, size, 101, { scale: 24, octaves: 4, persistence: 0.6 });
  const gravel = fbmNoise(size, size, 202, { scale: 6, octaves: 3, persistence: 0.7 });
  const brickNoise = fbmNoise(size, size, 303, { scale: 8, octaves: 2 });
  const brick = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    // Courses of 8-px bricks with mortar lines, offset every other course.
    const row = Math.floor(y / 8);
    const mortar = y % 8 === 0 || (x + (row % 2) * 8) % 16 === 0;
    brick[y * size + x] = (mortar ? 0.2 : 0.7) + 0.3 * brickNoise[y * size + x];
  }
  return { source: 'procedural', textures: { grass: { size, data: standardise(grass) }, gravel: { size, data: standardise(gravel) }, brick: { size, data: standardise(brick) } } };
}

/** Texture value at tile position (x, y) with zoom `scale` and offset, wrapping around. */
export function sampleTexture(t: SceneTexture, x: number, y: number, scale: number, ox: number, oy: number): number {
  const tx = ((Math.floor(x / scale + ox) % t.size) + t.size) % t.size;
  const ty = ((Math.floor(y / scale + oy) % t.size) + t.size) % t.size;
  return t.data[ty * t.size + tx];
}

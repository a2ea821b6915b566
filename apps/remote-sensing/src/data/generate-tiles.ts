import { childSeed } from '@moe/runtime';
import { NUM_SCENE_CLASSES } from './scene-classes.js';
import { sceneDomain } from './scene-domains.js';
import { generateScene, type SceneTextures } from './scene-generator.js';
import type { TileSet } from './tile-set.js';

/** The disjoint splits of one generated domain (different seeds per split). */
export type SplitName = 'train' | 'val' | 'test';

/** `count` tiles of `domain` for one split; tile i of a (domain, split, seed) is always the same tile. */
export function generateTiles(domainName: string, split: SplitName, count: number, size: number, seed: number, textures?: SceneTextures): TileSet {
  const domain = sceneDomain('generateTiles', domainName);
  if (!Number.isInteger(count) || count < 1) throw new Error(`generateTiles: count must be a positive integer; got ${String(count)}`);
  const px = size * size;
  const images = new Float32Array(count * px * 3);
  const labels = new Uint8Array(count * px);
  const base = childSeed(seed, `${domain.name}:${split}`);
  for (let t = 0; t < count; t++) {
    const scene = generateScene(domain, size, childSeed(base, t), textures);
    images.set(scene.image, t * px * 3);
    labels.set(scene.labels, t * px);
  }
  return { count, size, channels: 3, images, labels, domain: domain.name };
}

export { NUM_SCENE_CLASSES };

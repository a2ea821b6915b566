import { listRealImages, readImage, resizeShorterSide, type RasterImage } from '@moe/vision';
import { proceduralScene } from './procedural-scene.js';

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/**
 * Which real photo goes to which split — by image, never overlapping. aero1/aero3 show the same town, so they
 * share a split (train); every split mixes close-ups and outdoor scenes.
 */
export const REAL_IMAGE_SPLITS: Readonly<Record<Split, readonly string[]>> = {
  train: ['astronaut.png', 'coffee.png', 'building.jpg', 'aero1.jpg', 'aero3.jpg'],
  val: ['chelsea.png', 'flower.jpg'],
  test: ['china.jpg', 'rocket.jpg'],
};

/** Seeds of the procedural scenes of each split start here (disjoint ranges, so no scene is in two splits). */
const PROCEDURAL_SEED_BASE: Record<Split, number> = { train: 100_000, val: 200_000, test: 300_000 };

export interface CleanImage {
  name: string;
  source: 'real' | 'procedural';
  split: Split;
  /** RGB, shorter side = the requested side. */
  image: RasterImage;
}

export interface CleanImageOptions {
  /** Shorter side after resizing (real photos are 300–600 px; default 128). */
  side?: number;
  /** Procedural scenes per split (default train 12, val 4, test 4). */
  procedural?: Partial<Record<Split, number>>;
  /** Use the real photos extracted from Debian packages when present (default true). */
  real?: boolean;
}

/** The clean images of every split: real photos (resized) plus procedural scenes. */
export async function loadCleanImages(options: CleanImageOptions = {}): Promise<Record<Split, CleanImage[]>> {
  const side = options.side ?? 128;
  if (!Number.isInteger(side) || side < 16) throw new Error(`loadCleanImages: options.side must be an integer ≥ 16; got ${String(side)}`);
  const counts = { train: 12, val: 4, test: 4, ...options.procedural };
  const present = new Map((options.real ?? true ? listRealImages() : []).filter((r) => r.present).map((r) => [r.name, r.path]));
  const out: Record<Split, CleanImage[]> = { train: [], val: [], test: [] };
  for (const split of SPLITS) {
    for (const name of REAL_IMAGE_SPLITS[split]) {
      const path = present.get(name);
      if (!path) continue;
      out[split].push({ name, source: 'real', split, image: resizeShorterSide(await readImage(path, { channels: 3 }), side, { method: 'area' }) });
    }
    const n = counts[split];
    if (!Number.isInteger(n) || n < 0) throw new Error(`loadCleanImages: options.procedural.${split} must be an integer ≥ 0; got ${String(n)}`);
    for (let i = 0; i < n; i++) {
      const seed = PROCEDURAL_SEED_BASE[split] + i;
      out[split].push({ name: `procedural-${seed}`, source: 'procedural', split, image: proceduralScene(Math.round(side * 1.5), side, seed) });
    }
    if (out[split].length === 0) throw new Error(`loadCleanImages: split '${split}' has no images (no real photos extracted and options.procedural.${split} = 0)`);
  }
  return out;
}

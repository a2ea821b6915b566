import { argError, checkInt } from '../args/check-args.js';
import type { RasterImage } from '../image/raster-image.js';

/** The scene generator's classes, in LoveDA's order (id = index). */
export const SCENE_CLASSES = ['background', 'building', 'road', 'water', 'barren', 'forest', 'agriculture'] as const;
export type SceneClass = (typeof SCENE_CLASSES)[number];
export const SCENE_CLASS_ID: Readonly<Record<SceneClass, number>> = Object.fromEntries(SCENE_CLASSES.map((c, i) => [c, i])) as Record<SceneClass, number>;

/** Display colours per class (LoveDA's palette), RGB 0-255. */
export const SCENE_CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [255, 255, 255], // background
  [255, 0, 0], // building
  [255, 255, 0], // road
  [0, 0, 255], // water
  [159, 129, 183], // barren
  [0, 255, 0], // forest
  [255, 195, 128], // agriculture
];

/**
 * A label map as an RGB picture (for dashboards and files): each class id painted with its colour from
 * `colours` (default the scene palette). Ids without a colour (e.g. an ignore index) are black.
 */
export function labelsToImage(labels: ArrayLike<number>, width: number, height: number, colours: readonly (readonly [number, number, number])[] = SCENE_CLASS_COLOURS): RasterImage {
  const fn = 'labelsToImage';
  checkInt(fn, 'width', width, 1);
  checkInt(fn, 'height', height, 1);
  if (labels?.length !== width * height) throw argError(fn, 'labels', `width·height = ${width * height} class ids`, labels);
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const c = colours[labels[i]];
    if (c === undefined) continue;
    data[3 * i] = c[0] / 255;
    data[3 * i + 1] = c[1] / 255;
    data[3 * i + 2] = c[2] / 255;
  }
  return { width, height, channels: 3, data };
}

/** Share of pixels per class id (ids ≥ numClasses are counted in none). */
export function classShares(labels: ArrayLike<number>, numClasses: number): number[] {
  checkInt('classShares', 'numClasses', numClasses, 1);
  if (labels == null || typeof labels.length !== 'number') throw argError('classShares', 'labels', 'an array of class ids', labels);
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && labels[i] < numClasses) counts[labels[i]]++;
  return counts.map((n) => (labels.length > 0 ? n / labels.length : 0));
}

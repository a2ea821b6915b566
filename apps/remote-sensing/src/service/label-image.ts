import { classShares as visionClassShares, createRasterImage, labelsToImage, type RasterImage } from '@moe/vision';
import { NUM_SCENE_CLASSES } from '../data/scene-classes.js';

/** Display colours of this app's classes (barren, building, road, water, forest, agriculture). */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [160, 130, 90], [220, 50, 50], [128, 128, 128], [40, 80, 220], [30, 140, 40], [200, 220, 80],
];

/** A colour picture of a label map (for people), with this app's class colours. */
export function labelImage(labels: ArrayLike<number>, width: number, height: number): RasterImage {
  return labelsToImage(labels, width, height, CLASS_COLOURS);
}

/** A one-channel image whose 8-bit code at each pixel is the class id (for programs: PNG value = id). */
export function classIdImage(labels: ArrayLike<number>, width: number, height: number): RasterImage {
  return createRasterImage(width, height, 1, Float32Array.from({ length: width * height }, (_, i) => labels[i] / 255));
}

/** Share of pixels per class of this app. */
export function classShares(labels: ArrayLike<number>): number[] {
  return visionClassShares(labels, NUM_SCENE_CLASSES);
}

import * as tf from '@tensorflow/tfjs-core';
import { readFile, writeFile } from 'node:fs/promises';
import { decodeImage, encodePng, geoRasterToImage, readGeoTiff, sniffFormat, toChannels, writeGeoTiff, type RasterImage } from '@moe/vision';
import { SCENE_CLASS_NAMES } from '../data/scene-classes.js';
import type { SegmentationModel } from '../model/segmentation-model.js';
import { classIdImage, classShares } from './label-image.js';

/** Label map of a whole image. */
export interface SegmentedImage {
  width: number;
  height: number;
  labels: Uint8Array;
  /** Share of pixels per class, in class order. */
  shares: number[];
  tiles: number;
}

function tileOrigins(length: number, tile: number, stride: number): number[] {
  if (length <= tile) return [0];
  const out: number[] = [];
  for (let o = 0; o + tile < length; o += stride) out.push(o);
  out.push(length - tile);
  return out;
}

/**
 * Segments an RGB image of any size ≥ 1 px: tiles of the backbone's size with `overlap` pixels of overlap
 * (edge-padded when the image is smaller than a tile), class probabilities averaged where tiles overlap,
 * argmax per pixel. Tiles run in batches of `batchSize`.
 */
export async function segmentRaster(model: SegmentationModel, image: RasterImage, options: { overlap?: number; batchSize?: number } = {}): Promise<SegmentedImage> {
  const rgb = toChannels(image, 3);
  const s = model.tileSize;
  const overlap = options.overlap ?? 16;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= s) throw new Error(`segmentRaster: overlap must be an integer in [0, ${s}); got ${String(overlap)}`);
  const batchSize = options.batchSize ?? 16;
  const W = Math.max(rgb.width, s);
  const H = Math.max(rgb.height, s);
  const xs = tileOrigins(W, s, s - overlap);
  const ys = tileOrigins(H, s, s - overlap);
  const origins = ys.flatMap((y) => xs.map((x) => [x, y] as const));
  const K = model.numClasses;
  const probs = new Float32Array(W * H * K);
  for (let start = 0; start < origins.length; start += batchSize) {
    const batch = origins.slice(start, start + batchSize);
    const pixels = new Float32Array(batch.length * s * s * 3);
    batch.forEach(([ox, oy], b) => {
      for (let y = 0; y < s; y++) {
        const sy = Math.min(rgb.height - 1, oy + y);
        for (let x = 0; x < s; x++) {
          const sx = Math.min(rgb.width - 1, ox + x);
          for (let c = 0; c < 3; c++) pixels[((b * s + y) * s + x) * 3 + c] = rgb.data[(sy * rgb.width + sx) * 3 + c];
        }
      }
    });
    const p = tf.tidy(() => tf.softmax(model.apply(tf.tensor4d(pixels, [batch.length, s, s, 3]))));
    const values = await p.data();
    p.dispose();
    batch.forEach(([ox, oy], b) => {
      for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
        const dst = ((oy + y) * W + ox + x) * K;
        const src = ((b * s + y) * s + x) * K;
        for (let k = 0; k < K; k++) probs[dst + k] += values[src + k];
      }
    });
  }
  const labels = new Uint8Array(rgb.width * rgb.height);
  for (let y = 0; y < rgb.height; y++) for (let x = 0; x < rgb.width; x++) {
    const o = (y * W + x) * K;
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[o + k] > probs[o + best]) best = k;
    labels[y * rgb.width + x] = best;
  }
  return { width: rgb.width, height: rgb.height, labels, shares: classShares(labels), tiles: origins.length };
}

/** The first three bands of a GeoTIFF as an RGB image (min–max stretched), keeping its georeferencing. */
export async function geoTiffToRgb(bytes: Uint8Array, maxPixels?: number): Promise<{ image: RasterImage; georef: Awaited<ReturnType<typeof readGeoTiff>>['georef'] }> {
  const geo = await readGeoTiff(bytes, maxPixels !== undefined ? { maxPixels } : {});
  const bands = geo.raster.bands >= 3 ? [0, 1, 2] : [0, 0, 0];
  return { image: geoRasterToImage(geo.raster, { bands, range: 'minmax' }), georef: geo.georef };
}

/** CLI helper: segments a PNG/JPEG/GeoTIFF file; writes a class-id PNG, or a GeoTIFF when the output ends in .tif. */
export async function segmentFile(model: SegmentationModel, input: string, out: string): Promise<Record<string, unknown>> {
  const bytes = new Uint8Array(await readFile(input));
  const isTiff = sniffFormat(bytes) === 'tiff';
  const { image, georef } = isTiff ? await geoTiffToRgb(bytes) : { image: await decodeImage(bytes), georef: undefined };
  const seg = await segmentRaster(model, image);
  if (/\.tiff?$/i.test(out)) await writeFile(out, writeGeoTiff({ width: seg.width, height: seg.height, bands: 1, data: seg.labels }, georef));
  else await writeFile(out, await encodePng(classIdImage(seg.labels, seg.width, seg.height)));
  return { input, out, width: seg.width, height: seg.height, tiles: seg.tiles, georeferenced: georef !== undefined, shares: Object.fromEntries(SCENE_CLASS_NAMES.map((n, i) => [n, seg.shares[i]])) };
}

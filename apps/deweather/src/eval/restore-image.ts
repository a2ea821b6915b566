import { stitchTiles, tileImage, type RasterImage } from '@moe/vision';
import type { DeweatherNet } from '../model/deweather-net.js';
import { restoreBatch } from './restore-batch.js';

export interface RestoreImageOptions {
  /** Tile side (default the training crop, 48); a multiple of the network's patch. */
  tile?: number;
  /** Overlap between neighbouring tiles (default tile/6, rounded). */
  overlap?: number;
  /** Tiles per forward (default 16). */
  batch?: number;
}

export interface RestoredImage {
  image: RasterImage;
  /** Per MoE layer, assignments per expert over all tiles. */
  expertCounts: number[][];
  tiles: number;
}

/**
 * Restores an RGB image of any size the way the network was trained: overlapping tiles of the training crop
 * size (global attention over a whole photo would be quadratic in its tokens and unlike training), merged
 * with @moe/vision's feathered stitching so seams do not show. The result has exactly the input's size.
 */
export async function restoreImage(net: DeweatherNet, input: RasterImage, options: RestoreImageOptions = {}): Promise<RestoredImage> {
  if (input.channels !== 3) throw new Error(`restoreImage: input must be RGB (3 channels); got ${input.channels}`);
  const p = net.config.patch;
  const tile = options.tile ?? 48;
  if (!Number.isInteger(tile) || tile < p || tile % p !== 0) throw new Error(`restoreImage: options.tile must be a positive multiple of the patch size ${p}; got ${String(tile)}`);
  const overlap = options.overlap ?? Math.round(tile / 6);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile) throw new Error(`restoreImage: options.overlap must be an integer in [0, tile); got ${String(overlap)}`);
  const batch = options.batch ?? 16;
  const tiles = tileImage(input, { tileSize: tile, overlap });
  const restored: { x: number; y: number; image: RasterImage }[] = [];
  let expertCounts: number[][] = [];
  for (let i = 0; i < tiles.length; i += batch) {
    const chunk = tiles.slice(i, i + batch);
    const r = await restoreBatch(net, chunk.map((t) => t.image));
    if (expertCounts.length === 0) expertCounts = r.expertCounts.map((l) => l.map(() => 0));
    r.expertCounts.forEach((l, li) => l.forEach((c, e) => (expertCounts[li][e] += c)));
    chunk.forEach((t, j) => restored.push({ x: t.x, y: t.y, image: r.images[j] }));
  }
  return { image: stitchTiles(restored, { width: input.width, height: input.height, blend: 'feather' }), expertCounts, tiles: tiles.length };
}

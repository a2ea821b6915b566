import { argError, checkInt, checkKnownKeys, checkOneOf } from '../args/check-args.js';
import { checkRasterImage, createRasterImage, type RasterImage } from '../image/raster-image.js';

/** One tile cut from an image: its top-left position in the source and its pixels (tileSize × tileSize). */
export interface Tile {
  readonly x: number;
  readonly y: number;
  readonly image: RasterImage;
}

export interface TileOptions {
  /** Side of the square tiles in pixels. */
  readonly tileSize: number;
  /** Pixels shared by neighbouring tiles (0 ≤ overlap < tileSize); default 0. */
  readonly overlap?: number;
}

/**
 * Top-left positions along one axis: a regular stride of tileSize − overlap from 0, with the last tile moved
 * back so it ends at the border (it then overlaps its neighbour more). An axis shorter than a tile gets one
 * tile at 0 that reaches past the border (filled by replicating the edge).
 */
export function tilePositions(length: number, tileSize: number, overlap: number): number[] {
  checkInt('tilePositions', 'length', length, 1);
  checkInt('tilePositions', 'tileSize', tileSize, 1);
  checkInt('tilePositions', 'overlap', overlap, 0, tileSize - 1);
  if (length <= tileSize) return [0];
  const stride = tileSize - overlap;
  const out: number[] = [];
  for (let p = 0; p + tileSize < length; p += stride) out.push(p);
  out.push(length - tileSize);
  return out;
}

function checkTileOptions(fn: string, options: TileOptions): { tileSize: number; overlap: number } {
  checkKnownKeys(fn, 'options', options, ['tileSize', 'overlap']);
  checkInt(fn, 'options.tileSize', options?.tileSize, 1);
  const overlap = options.overlap ?? 0;
  checkInt(fn, 'options.overlap', overlap, 0, options.tileSize - 1);
  return { tileSize: options.tileSize, overlap };
}

/**
 * Cuts `img` into square tiles that cover it, neighbours sharing `overlap` pixels (row-major order). Tiles
 * reaching past a border that is shorter than one tile are filled by replicating the edge pixels.
 *
 * @example
 * const tiles = tileImage(scene, { tileSize: 128, overlap: 32 });
 * const logits = tiles.map((t) => ({ ...t, image: predict(t.image) }));
 * const full = stitchTiles(logits, { width: scene.width, height: scene.height, blend: 'feather' });
 */
export function tileImage(img: RasterImage, options: TileOptions): Tile[] {
  const fn = 'tileImage';
  checkRasterImage(fn, 'img', img);
  const { tileSize, overlap } = checkTileOptions(fn, options);
  const { width: w, height: h, channels: c, data } = img;
  const tiles: Tile[] = [];
  for (const y of tilePositions(h, tileSize, overlap)) {
    for (const x of tilePositions(w, tileSize, overlap)) {
      const out = new Float32Array(tileSize * tileSize * c);
      for (let ty = 0; ty < tileSize; ty++) {
        const sy = Math.min(y + ty, h - 1);
        for (let tx = 0; tx < tileSize; tx++) {
          const sx = Math.min(x + tx, w - 1);
          const s = (sy * w + sx) * c;
          const d = (ty * tileSize + tx) * c;
          for (let k = 0; k < c; k++) out[d + k] = data[s + k];
        }
      }
      tiles.push({ x, y, image: { width: tileSize, height: tileSize, channels: c, data: out } });
    }
  }
  return tiles;
}

/**
 * How overlapping tiles are merged. 'center': every output pixel is copied from the tile whose centre is
 * nearest (seams at the middle of each overlap; bit-exact when tiles are crops of one image). 'average': the
 * mean of all tiles covering the pixel. 'feather': a weighted mean, weights rising linearly from a tile's
 * border to its interior, so predictions near tile edges (less context) count less.
 */
export type StitchBlend = 'center' | 'average' | 'feather';

export interface StitchOptions {
  readonly width: number;
  readonly height: number;
  /** Default 'feather'. */
  readonly blend?: StitchBlend;
}

/** Per-pixel weight of a tile for 'feather': distance to the nearest tile border + 1, so every pixel counts. */
function featherWeight(tx: number, ty: number, size: number): number {
  return Math.min(tx, ty, size - 1 - tx, size - 1 - ty) + 1;
}

/**
 * Puts tiles (as made by tileImage, possibly transformed: logits, restored pixels) back into a width × height
 * image. Tiles may have any channel count (all the same); parts outside the image are dropped. Every pixel
 * must be covered by some tile.
 */
export function stitchTiles(tiles: readonly Tile[], options: StitchOptions): RasterImage {
  const fn = 'stitchTiles';
  if (!Array.isArray(tiles) || tiles.length === 0) throw argError(fn, 'tiles', 'a non-empty array of {x, y, image}', tiles);
  checkKnownKeys(fn, 'options', options, ['width', 'height', 'blend']);
  checkInt(fn, 'options.width', options?.width, 1);
  checkInt(fn, 'options.height', options.height, 1);
  const blend = options.blend ?? 'feather';
  checkOneOf(fn, 'options.blend', blend, ['center', 'average', 'feather']);
  const { width: w, height: h } = options;
  const c = tiles[0]?.image?.channels;
  tiles.forEach((t, i) => {
    checkRasterImage(fn, `tiles[${i}].image`, t?.image);
    if (t.image.channels !== c) throw argError(fn, `tiles[${i}].image.channels`, `${c} like tiles[0]`, t.image.channels);
    if (t.image.width !== t.image.height) throw argError(fn, `tiles[${i}].image`, 'a square tile', `${t.image.width}×${t.image.height}`);
    checkInt(fn, `tiles[${i}].x`, t.x, 0, w - 1);
    checkInt(fn, `tiles[${i}].y`, t.y, 0, h - 1);
  });
  const out = createRasterImage(w, h, c);
  const weight = new Float64Array(w * h);
  const acc = blend === 'center' ? null : new Float64Array(w * h * c);
  // 'center': remember the squared distance of the tile centre that owns each pixel so far.
  const owner = blend === 'center' ? new Float64Array(w * h).fill(Infinity) : null;
  for (const t of tiles) {
    const size = t.image.width;
    const half = (size - 1) / 2;
    const src = t.image.data;
    for (let ty = 0; ty < size && t.y + ty < h; ty++) {
      for (let tx = 0; tx < size && t.x + tx < w; tx++) {
        const p = (t.y + ty) * w + (t.x + tx);
        const s = (ty * size + tx) * c;
        if (owner !== null) {
          // Chebyshev distance: with a square grid the nearest centre in the max-norm splits overlaps midway.
          const d = Math.max(Math.abs(tx - half), Math.abs(ty - half));
          if (d < owner[p]) {
            owner[p] = d;
            weight[p] = 1;
            for (let k = 0; k < c; k++) out.data[p * c + k] = src[s + k];
          }
          continue;
        }
        const wt = blend === 'feather' ? featherWeight(tx, ty, size) : 1;
        weight[p] += wt;
        for (let k = 0; k < c; k++) (acc as Float64Array)[p * c + k] += wt * src[s + k];
      }
    }
  }
  for (let p = 0; p < w * h; p++) {
    if (weight[p] === 0) throw argError(fn, 'tiles', 'tiles covering every pixel of the image', `pixel (x ${p % w}, y ${Math.floor(p / w)}) uncovered`);
    if (acc !== null) for (let k = 0; k < c; k++) out.data[p * c + k] = acc[p * c + k] / weight[p];
  }
  return out;
}

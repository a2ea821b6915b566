/** Label value that no loss or metric counts (mmseg's convention). */
export const IGNORE_LABEL = 255;

/**
 * A set of square tiles held on the host: `images` N·S·S·C floats in [0, 1] (HWC per tile, tile-major) and,
 * when labelled, `labels` N·S·S class ids (IGNORE_LABEL = unlabelled pixel).
 */
export interface TileSet {
  readonly count: number;
  readonly size: number;
  readonly channels: number;
  readonly images: Float32Array;
  readonly labels?: Uint8Array;
  /** Name of the domain the tiles come from (for reports). */
  readonly domain: string;
}

export function checkTileSet(owner: string, arg: string, set: TileSet, needLabels: boolean): void {
  const { count, size, channels } = set;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(size) || size < 1 || !Number.isInteger(channels) || channels < 1) {
    throw new Error(`${owner}: ${arg} must have positive integer count, size and channels; got ${count}, ${size}, ${channels}`);
  }
  if (set.images.length !== count * size * size * channels) throw new Error(`${owner}: ${arg}.images must hold count·size²·channels = ${count * size * size * channels} values; got ${set.images.length}`);
  if (needLabels && !set.labels) throw new Error(`${owner}: ${arg} must be labelled (labels missing)`);
  if (set.labels && set.labels.length !== count * size * size) throw new Error(`${owner}: ${arg}.labels must hold count·size² = ${count * size * size} values; got ${set.labels.length}`);
}

/** Tiles `indices` of a set, optionally flipped/rotated (augmentation): images [B·S·S·C], labels [B·S·S]. */
export function gatherTiles(set: TileSet, indices: readonly number[], transforms?: readonly number[]): { images: Float32Array; labels?: Uint8Array } {
  const { size: s, channels: c } = set;
  const px = s * s;
  const images = new Float32Array(indices.length * px * c);
  const labels = set.labels ? new Uint8Array(indices.length * px) : undefined;
  indices.forEach((tile, b) => {
    const t = transforms?.[b] ?? 0;
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        // t in 0..7: bit 0 = horizontal flip, bits 1-2 = number of quarter turns (the dihedral group of the square).
        let sx = t & 1 ? s - 1 - x : x;
        let sy = y;
        for (let r = 0; r < t >> 1; r++) [sx, sy] = [sy, s - 1 - sx];
        const src = tile * px + sy * s + sx;
        const dst = b * px + y * s + x;
        for (let k = 0; k < c; k++) images[dst * c + k] = set.images[src * c + k];
        if (labels) labels[dst] = set.labels![src];
      }
    }
  });
  return labels ? { images, labels } : { images };
}

/** A subset of a tile set (copies). */
export function sliceTiles(set: TileSet, start: number, end: number): TileSet {
  const px = set.size * set.size;
  return {
    count: end - start,
    size: set.size,
    channels: set.channels,
    domain: set.domain,
    images: set.images.slice(start * px * set.channels, end * px * set.channels),
    ...(set.labels ? { labels: set.labels.slice(start * px, end * px) } : {}),
  };
}

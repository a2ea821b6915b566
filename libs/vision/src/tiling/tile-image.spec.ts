import { describe, expect, it } from 'vitest';
import { readImage } from '../image/image-files.js';
import { createRasterImage } from '../image/raster-image.js';
import { realImagePath } from '../real-images/real-images.js';
import { stitchTiles, tileImage, tilePositions } from './tile-image.js';

function ramp(width: number, height: number, channels: number) {
  const img = createRasterImage(width, height, channels);
  for (let i = 0; i < img.data.length; i++) img.data[i] = ((i * 2654435761) % 1000) / 999;
  return img;
}

describe('tileImage / stitchTiles', () => {
  it('positions cover the axis with the requested overlap, the last tile flush with the border', () => {
    expect(tilePositions(10, 4, 1)).toEqual([0, 3, 6]);
    expect(tilePositions(11, 4, 1)).toEqual([0, 3, 6, 7]);
    expect(tilePositions(4, 4, 2)).toEqual([0]);
    expect(tilePositions(3, 8, 2)).toEqual([0]);
  });

  it('reconstructs a real photo exactly from overlapping tiles, with every blend', async () => {
    const img = await readImage(realImagePath('aero3.jpg'));
    for (const [tileSize, overlap] of [[128, 32], [100, 0], [97, 41]] as const) {
      const tiles = tileImage(img, { tileSize, overlap });
      for (const t of tiles) expect([t.image.width, t.image.height]).toEqual([tileSize, tileSize]);
      for (const blend of ['center', 'average', 'feather'] as const) {
        const back = stitchTiles(tiles, { width: img.width, height: img.height, blend });
        expect(back.channels).toBe(3);
        expect(Buffer.compare(Buffer.from(back.data.buffer), Buffer.from(img.data.buffer)), `${tileSize}/${overlap} ${blend}`).toBe(0);
      }
    }
  });

  it('pads images smaller than a tile by replicating the edge and crops them back', () => {
    const img = ramp(5, 3, 2);
    const tiles = tileImage(img, { tileSize: 8, overlap: 2 });
    expect(tiles).toHaveLength(1);
    expect(tiles[0].image.data[(7 * 8 + 7) * 2]).toBe(img.data[(2 * 5 + 4) * 2]);
    expect(stitchTiles(tiles, { width: 5, height: 3 }).data).toEqual(img.data);
  });

  it('blends differing tiles: center takes the nearest tile, average the mean, feather favours tile interiors', () => {
    const a = { x: 0, y: 0, image: createRasterImage(4, 4, 1, new Float32Array(16).fill(0)) };
    const b = { x: 2, y: 0, image: createRasterImage(4, 4, 1, new Float32Array(16).fill(1)) };
    const row = (blend: 'center' | 'average' | 'feather') => Array.from(stitchTiles([a, b], { width: 6, height: 4, blend }).data.subarray(6, 12));
    expect(row('center')).toEqual([0, 0, 0, 1, 1, 1]);
    expect(row('average')).toEqual([0, 0, 0.5, 0.5, 1, 1]);
    const f = row('feather');
    expect(f[2]).toBeLessThan(0.5); // x = 2 is interior for a, border for b
    expect(f[3]).toBeGreaterThan(0.5);
  });

  it('names the wrong argument', () => {
    const img = ramp(8, 8, 1);
    expect(() => tileImage(img, { tileSize: 4, overlap: 4 })).toThrow(/tileImage\(\): options.overlap must be an integer in \[0, 3\]; got 4/);
    expect(() => tileImage(img, { tileSize: 0 })).toThrow(/options.tileSize must be an integer ≥ 1; got 0/);
    expect(() => tileImage({ ...img, data: new Float32Array(3) }, { tileSize: 4 })).toThrow(/img.data must be a Float32Array/);
    const tiles = tileImage(img, { tileSize: 4 });
    expect(() => stitchTiles(tiles.slice(1), { width: 8, height: 8 })).toThrow(/pixel \(x 0, y 0\) uncovered/);
    expect(() => stitchTiles(tiles, { width: 8, height: 8, blend: 'max' as never })).toThrow(/options.blend must be one of/);
    expect(() => stitchTiles([], { width: 8, height: 8 })).toThrow(/tiles must be a non-empty array/);
  });
});

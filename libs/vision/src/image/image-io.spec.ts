import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { realImagePath } from '../real-images/real-images.js';
import { decodeImage } from './decode-image.js';
import { encodeJpeg, encodePng, encodeTiff } from './encode-image.js';
import { ImageDecodeError } from './image-decode-error.js';
import { readImage, writeImage } from './image-files.js';
import { createRasterImage, toChannels, type RasterImage } from './raster-image.js';

const dir = mkdtempSync(join(tmpdir(), 'moe-vision-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic gradient with distinct values per channel, on the 16-bit grid when `levels` is 65535. */
function gradient(width: number, height: number, channels: number, levels: number): RasterImage {
  const img = createRasterImage(width, height, channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) {
    img.data[(y * width + x) * channels + c] = Math.round((((x * 7 + y * 13 + c * 29) * 977) % (levels + 1))) / levels;
  }
  return img;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function expectDecodeError(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImageDecodeError);
  expect((err as ImageDecodeError).code).toBe(code);
  expect((err as Error).message).toMatch(message);
}

describe('decodeImage on real files from Debian packages', () => {
  it('decodes a real aerial JPEG (opencv-doc aero1.jpg) as 640×480 RGB in [0, 1] with varied content', async () => {
    const img = await readImage(realImagePath('aero1.jpg'));
    expect([img.width, img.height, img.channels]).toEqual([640, 480, 3]);
    let min = 1, max = 0, sum = 0;
    for (const v of img.data) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.5); // a photo, not a flat field
    expect(sum / img.data.length).toBeGreaterThan(0.1);
  });

  it('matches sharp on the same pixels (channel order R, G, B; a PNG photo and a grey texture)', async () => {
    const png = await readFile(realImagePath('astronaut.png'));
    const img = await decodeImage(png);
    const ref = await sharp(png).removeAlpha().raw().toBuffer();
    expect(img.channels).toBe(3);
    for (const i of [0, 1, 2, 3 * 1000 + 1, img.data.length - 1]) expect(img.data[i]).toBeCloseTo(ref[i] / 255, 6);
    const grass = await readImage(realImagePath('grass.png'));
    expect([grass.width, grass.height, grass.channels]).toEqual([512, 512, 1]);
  });

  it('keeps all 6 bands of the Landsat GeoTIFF (sharp cannot; read through geotiff)', async () => {
    const img = await readImage(realImagePath('L7_ETMs.tif'));
    expect([img.width, img.height, img.channels]).toEqual([349, 352, 6]);
    await expectDecodeError(readImage(realImagePath('L7_ETMs.tif'), { channels: 3 }), 'unsupported_format', /6 bands, which have no conversion to 3 channel/);
  });
});

describe('encode → decode round trips', () => {
  for (const channels of [1, 2, 3, 4]) {
    it(`PNG 8 and 16 bit, TIFF 8 and 16 bit are lossless for ${channels} channel(s)`, async () => {
      for (const bits of [8, 16] as const) {
        const img = gradient(17, 9, channels, bits === 8 ? 255 : 65535);
        const png = await decodeImage(await encodePng(img, { bitDepth: bits }));
        expect([png.width, png.height, png.channels]).toEqual([17, 9, channels]);
        expect(maxAbsDiff(png.data, img.data), `png ${bits}`).toBeLessThan(1e-7);
        const tif = await decodeImage(encodeTiff(img, { bitDepth: bits }));
        expect(tif.channels).toBe(channels);
        expect(maxAbsDiff(tif.data, img.data), `tiff ${bits}`).toBeLessThan(1e-7);
      }
    });
  }

  it('16-bit PNG keeps values 8 bits cannot (1/65535 steps)', async () => {
    const img = createRasterImage(3, 1, 1, new Float32Array([1 / 65535, 1000 / 65535, 40000 / 65535]));
    const back = await decodeImage(await encodePng(img, { bitDepth: 16 }));
    expect(Array.from(back.data, (v) => Math.round(v * 65535))).toEqual([1, 1000, 40000]);
    const eight = await decodeImage(await encodePng(img));
    expect(Array.from(eight.data, (v) => Math.round(v * 255))).toEqual([0, 4, 156]);
  });

  it('JPEG is lossy but close, and quality orders the error', async () => {
    const photo = await readImage(realImagePath('coffee.png'));
    const err = async (quality: number) => maxMeanAbs(photo, await decodeImage(await encodeJpeg(photo, { quality })));
    const hi = await err(95);
    const lo = await err(10);
    expect(hi).toBeLessThan(0.02);
    expect(lo).toBeGreaterThan(hi);
  });

  it('writeImage/readImage pick the format by extension', async () => {
    const img = gradient(8, 6, 3, 255);
    for (const name of ['a.png', 'b.tif', 'c.jpg']) {
      await writeImage(join(dir, name), img);
      const back = await readImage(join(dir, name));
      expect([back.width, back.height, back.channels]).toEqual([8, 6, 3]);
    }
    await expect(writeImage(join(dir, 'd.gif'), img)).rejects.toThrow(/path must be a name ending in \.png/);
  });
});

function maxMeanAbs(a: RasterImage, b: RasterImage): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.data.length;
}

describe('bad input', () => {
  it('names what it got: text, other formats, truncation, too many pixels', async () => {
    await expectDecodeError(decodeImage(new TextEncoder().encode('{"image": "nope"}')), 'not_an_image', /expected PNG, JPEG or TIFF bytes; got 17 bytes starting 7b 22/);
    await expectDecodeError(decodeImage(new Uint8Array(0)), 'not_an_image', /empty body/);
    const gif = await sharp(Buffer.alloc(12, 9), { raw: { width: 2, height: 2, channels: 3 } }).gif().toBuffer();
    await expectDecodeError(decodeImage(gif), 'unsupported_format', /got a GIF image/);
    const jpeg = await readFile(realImagePath('aero1.jpg'));
    await expectDecodeError(decodeImage(jpeg.subarray(0, 2000)), 'not_an_image', /JPEG data is corrupt or truncated/);
    await expectDecodeError(decodeImage(jpeg, { maxPixels: 640 * 480 - 1 }), 'too_many_pixels', /640×480 = 307200 pixels; the limit is 307199/);
    await expectDecodeError(decodeImage(await readFile(realImagePath('olinda_dem_utm25s.tif'))), 'unsupported_format', /32-bit float samples.*readGeoTiff/);
  });

  it('checks its arguments and names the wrong one', async () => {
    await expect(decodeImage('x.png' as unknown as Uint8Array)).rejects.toThrow(/decodeImage\(\): bytes must be a Uint8Array/);
    await expect(decodeImage(new Uint8Array(4), { maxPixel: 3 } as never)).rejects.toThrow(/unknown option\(s\) 'maxPixel'/);
    await expect(decodeImage(new Uint8Array(4), { channels: 5 as never })).rejects.toThrow(/options.channels must be one of 1, 2, 3, 4; got 5/);
    const img = createRasterImage(2, 2, 3);
    await expect(encodePng({ ...img, data: new Float32Array(5) })).rejects.toThrow(/encodePng\(\): img.data must be a Float32Array of width·height·channels = 2·2·3 = 12/);
    await expect(encodePng(img, { bitDepth: 12 as never })).rejects.toThrow(/options.bitDepth must be one of 8, 16; got 12/);
    await expect(encodeJpeg(toChannels(img, 4))).rejects.toThrow(/img.channels must be 1 \(grey\) or 3 \(RGB\)/);
    await expect(encodeJpeg(img, { quality: 0 })).rejects.toThrow(/options.quality must be an integer in \[1, 100\]; got 0/);
    const nan = createRasterImage(2, 2, 1, new Float32Array([0, 0, 0, NaN]));
    await expect(encodePng(nan)).rejects.toThrow(/NaN at pixel \(x 1, y 1\)/);
  });
});

describe('toChannels', () => {
  it('replicates grey, takes BT.601 luma, adds opaque alpha and drops it', () => {
    const rgb = createRasterImage(1, 1, 3, new Float32Array([1, 0.5, 0]));
    expect(toChannels(rgb, 1).data[0]).toBeCloseTo(0.299 + 0.587 * 0.5, 6);
    expect(Array.from(toChannels(rgb, 4).data)).toEqual([1, 0.5, 0, 1]);
    const ga = createRasterImage(1, 1, 2, new Float32Array([0.25, 0.5]));
    expect(Array.from(toChannels(ga, 4).data)).toEqual([0.25, 0.25, 0.25, 0.5]);
    expect(Array.from(toChannels(toChannels(rgb, 4), 3).data)).toEqual([1, 0.5, 0]);
  });
});

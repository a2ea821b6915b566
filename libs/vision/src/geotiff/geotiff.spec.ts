import { readFile } from 'node:fs/promises';
import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError } from '../image/image-decode-error.js';
import { realImagePath } from '../real-images/real-images.js';
import { deriveGeoReference, pixelToModel, type GeoRaster } from './geo-raster.js';
import { geoRasterToImage, imageToGeoRaster } from './geo-raster-image.js';
import { readGeoTiff } from './read-geotiff.js';
import { writeGeoTiff } from './write-geotiff.js';

/** Byte-exact comparison (vitest's deep equality walks 700k elements one by one, which takes seconds). */
function expectSameSamples(a: ArrayBufferView, b: ArrayBufferView, what = ''): void {
  expect(a.constructor, what).toBe(b.constructor);
  expect(Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)), what).toBe(0);
}

const landsat = async () => readGeoTiff(await readFile(realImagePath('L7_ETMs.tif')));

describe('readGeoTiff on real Debian GeoTIFFs (r-cran-stars)', () => {
  it('reads the 6-band Landsat 7 scene with its UTM 25S georeferencing', async () => {
    const { raster, georef, bitsPerSample, sampleFormat } = await landsat();
    expect([raster.width, raster.height, raster.bands]).toEqual([349, 352, 6]);
    expect(raster.data).toBeInstanceOf(Uint8Array);
    expect([bitsPerSample, sampleFormat]).toEqual([8, 1]);
    expect(georef?.geoKeys.ProjectedCSTypeGeoKey).toBe(31985); // SIRGAS 2000 / UTM zone 25S
    expect(georef?.modelPixelScale?.[0]).toBeCloseTo(28.5, 6);
    const [x, y] = pixelToModel(georef!, 0, 0);
    expect(x).toBeCloseTo(288776.25, 3);
    expect(y).toBeCloseTo(9120760.75, 3);
    // Bands differ (a real multispectral scene, not one band copied six times).
    const mean = (b: number) => { let s = 0; for (let i = b; i < raster.data.length; i += 6) s += raster.data[i]; return s / (raster.width * raster.height); };
    expect(new Set([0, 1, 2, 3, 4, 5].map((b) => Math.round(mean(b)))).size).toBeGreaterThan(3);
  });

  it('round-trips the Landsat scene and the float DEM exactly: samples, type, georeferencing', async () => {
    for (const name of ['L7_ETMs.tif', 'olinda_dem_utm25s.tif'] as const) {
      const src = await readGeoTiff(await readFile(realImagePath(name)));
      const bytes = writeGeoTiff(src.raster, src.georef);
      const back = await readGeoTiff(bytes);
      expectSameSamples(back.raster.data, src.raster.data, name);
      expect(back.georef, name).toEqual(src.georef);
      // An independent reader (geotiff.js's own accessors) sees the same origin and resolution.
      const img = await (await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)).getImage();
      const orig = await (await fromArrayBuffer((await readFile(realImagePath(name))).buffer as ArrayBuffer)).getImage();
      expect(img.getOrigin()).toEqual(orig.getOrigin());
      expect(img.getResolution()).toEqual(orig.getResolution());
    }
  });

  it('writes a label map with the source georeferencing, and a window keeps map positions', async () => {
    const { raster, georef } = await landsat();
    const labels: GeoRaster = { width: raster.width, height: raster.height, bands: 1, data: new Uint8Array(raster.width * raster.height).map((_, i) => i % 7) };
    const out = await readGeoTiff(writeGeoTiff(labels, georef));
    expectSameSamples(out.raster.data, labels.data);
    expect(out.georef?.geoKeyDirectory).toEqual(georef?.geoKeyDirectory);
    const win = deriveGeoReference(georef!, { x: 100, y: 40 });
    expect(pixelToModel(win, 0, 0)).toEqual(pixelToModel(georef!, 100, 40));
    const half = deriveGeoReference(georef!, { scaleX: 0.5, scaleY: 0.5 });
    expect(pixelToModel(half, 10, 10)[0]).toBeCloseTo(pixelToModel(georef!, 20, 20)[0], 6);
    expect(pixelToModel(half, 10, 10)[1]).toBeCloseTo(pixelToModel(georef!, 20, 20)[1], 6);
  });

  it('keeps nodata and a full transformation matrix', async () => {
    const raster: GeoRaster = { width: 3, height: 2, bands: 1, data: new Float32Array([1, -9999, 3, 4, 5, 6]) };
    const georef = { geoKeyDirectory: [1, 1, 0, 1, 1024, 0, 1, 1], modelTransformation: [2, 0.5, 0, 100, 0.25, -2, 0, 50, 0, 0, 0, 0, 0, 0, 0, 1], noData: -9999, geoKeys: {} };
    const back = await readGeoTiff(writeGeoTiff(raster, georef));
    expect(back.georef?.noData).toBe(-9999);
    expect(back.georef?.modelTransformation).toEqual(georef.modelTransformation);
    expect(pixelToModel(back.georef!, 1, 1)).toEqual([102.5, 48.25]);
    const img = geoRasterToImage(back.raster, { noData: -9999 });
    [0, 0, 0.4, 0.6, 0.8, 1].forEach((v, i) => expect(img.data[i]).toBeCloseTo(v, 6));
  });
});

describe('geoRasterToImage / imageToGeoRaster', () => {
  it('makes a true-colour (3-2-1) and a false-colour NIR-R-G (4-3-2) image from Landsat', async () => {
    const { raster } = await landsat();
    const rgb = geoRasterToImage(raster, { bands: [2, 1, 0], range: 'minmax' });
    const irrg = geoRasterToImage(raster, { bands: [3, 2, 1], range: 'minmax' });
    expect(rgb.channels).toBe(3);
    expect(rgb.data[0]).not.toBe(irrg.data[0]);
    // The percentile stretch saturates about 2 % of each band at each end.
    const p = geoRasterToImage(raster, { bands: [0], range: 'percentile' });
    const ones = p.data.filter((v) => v === 1).length / p.data.length;
    expect(ones).toBeGreaterThan(0.005);
    expect(ones).toBeLessThan(0.05);
    const back = imageToGeoRaster(geoRasterToImage(raster), 'uint8');
    expectSameSamples(back.data, raster.data);
  });
});

describe('bad input', () => {
  it('names what is wrong', async () => {
    await expect(readGeoTiff(new TextEncoder().encode('hello'))).rejects.toMatchObject({ code: 'not_an_image' });
    const png = await readFile(realImagePath('grass.png'));
    await expect(readGeoTiff(png)).rejects.toThrow(/expected TIFF bytes; got a PNG image/);
    const tif = await readFile(realImagePath('L7_ETMs.tif'));
    const err = await readGeoTiff(tif, { maxPixels: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect((err as ImageDecodeError).code).toBe('too_many_pixels');
    const raster: GeoRaster = { width: 2, height: 2, bands: 1, data: new Uint8Array(4) };
    expect(() => writeGeoTiff({ ...raster, data: new Uint8Array(3) }, undefined)).toThrow(/writeGeoTiff\(\): raster.data must be a typed array .* = 4 values/);
    expect(() => writeGeoTiff(raster, { geoKeyDirectory: [1, 1, 0, 2, 1024, 0, 1, 1], modelPixelScale: [1, 1, 0], modelTiepoint: [0, 0, 0, 0, 0, 0], geoKeys: {} })).toThrow(/georef.geoKeyDirectory must be a GeoKey directory/);
    expect(() => writeGeoTiff(raster, { geoKeyDirectory: [1, 1, 0, 0], geoKeys: {} })).toThrow(/georef must be a raster→model mapping/);
    expect(() => geoRasterToImage(raster, { bands: [1] })).toThrow(/options.bands\[0\] must be an integer in \[0, 0\]; got 1/);
    expect(() => geoRasterToImage({ ...raster, data: new Float32Array(4) }, { range: 'type' })).toThrow(/options.range must be 'minmax', 'percentile' or \[lo, hi\]/);
  });
});

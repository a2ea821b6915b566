// A tour of @moe/vision on real files from Debian packages and generated scenes; writes its pictures to a
// temporary directory and prints a JSON summary. Run: npm run moe -- libs/vision/examples/quick-start.ts
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addClouds, addStripeNoise, changeGsd, generateScene, geoRasterToImage, labelsToImage, LANDSAT7_BAND_ORDERS, readGeoTiff, readImage,
  realImagePath, segmentationMetrics, stitchTiles, tileImage, writeGeoTiff, writeImage,
} from '../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'moe-vision-'));

// 1. A real aerial photo (opencv-doc), tiled with overlap and stitched back.
const aerial = await readImage(realImagePath('aero1.jpg'));
const tiles = tileImage(aerial, { tileSize: 128, overlap: 32 });
const stitched = stitchTiles(tiles, { width: aerial.width, height: aerial.height });
const exact = stitched.data.every((v, i) => v === aerial.data[i]);

// 2. Remote-sensing artefacts on it.
const striped = addStripeNoise(aerial, 1, { kind: 'periodic' }).image;
const cloudy = addClouds(changeGsd(aerial, 0.55), 2).image;
await writeImage(join(out, 'aero1-striped.png'), striped);
await writeImage(join(out, 'aero1-cloudy.jpg'), cloudy, { quality: 85 });

// 3. The Landsat 7 scene (r-cran-stars): true colour and NIR-R-G, and a GeoTIFF round trip.
const { raster, georef } = await readGeoTiff(await readFile(realImagePath('L7_ETMs.tif')));
await writeImage(join(out, 'landsat-rgb.png'), geoRasterToImage(raster, { bands: LANDSAT7_BAND_ORDERS.rgb, range: 'percentile' }));
await writeImage(join(out, 'landsat-irrg.png'), geoRasterToImage(raster, { bands: LANDSAT7_BAND_ORDERS.irrg, range: 'percentile' }));
await writeFile(join(out, 'landsat-copy.tif'), writeGeoTiff(raster, georef));
const back = await readGeoTiff(await readFile(join(out, 'landsat-copy.tif')));

// 4. Two generated domains with labels, and the mIoU of a (deliberately poor) prediction: the source scene's labels.
const source = await generateScene({ domain: 'urban-rgb', size: 128, seed: 3 });
const target = await generateScene({ domain: 'rural-irrg-degraded', size: 128, seed: 4 });
await writeImage(join(out, 'target.png'), target.image);
await writeImage(join(out, 'target-labels.png'), labelsToImage(target.labels, target.width, target.height));
const m = segmentationMetrics(source.labels, target.labels, 7);

console.log(JSON.stringify({
  out,
  tiles: tiles.length,
  stitchedExactly: exact,
  landsat: { bands: raster.bands, epsg: georef?.geoKeys.ProjectedCSTypeGeoKey, roundTripGeoKeysEqual: JSON.stringify(back.georef) === JSON.stringify(georef) },
  target: { artefacts: target.artefacts.map((a) => a.kind), textures: target.textureSource },
  chanceMIoU: Number(m.mIoU.toFixed(3)),
}, null, 2));

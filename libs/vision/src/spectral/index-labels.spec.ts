import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readGeoTiff } from '../geotiff/read-geotiff.js';
import { realImagePath } from '../real-images/real-images.js';
import { classShares } from '../scenes/scene-classes.js';
import { normalisedDifference, otsuThreshold, spectralIndexLabels } from './index-labels.js';

describe('spectral-index labels', () => {
  it('Otsu splits a bimodal sample between its modes', () => {
    const v = Float32Array.from({ length: 1000 }, (_, i) => (i < 600 ? -0.5 + (i % 7) * 0.01 : 0.6 + (i % 5) * 0.01));
    const t = otsuThreshold(v);
    expect(t).toBeGreaterThan(-0.44);
    expect(t).toBeLessThan(0.6);
  });

  it('labels the real Landsat scene: the sea on the east is water, inland vegetation is vegetation', async () => {
    const { raster } = await readGeoTiff(await readFile(realImagePath('L7_ETMs.tif')));
    const r = spectralIndexLabels(raster);
    expect(r.source).toBe('index-derived');
    const shares = classShares(r.labels, 7);
    // Olinda: town and forest on the west, the Atlantic on the east (a quarter to a half of the tile).
    expect(shares[3]).toBeGreaterThan(0.15);
    expect(shares[3]).toBeLessThan(0.5);
    expect(shares[5]).toBeGreaterThan(0.05);
    expect(shares[0]).toBeGreaterThan(0.05);
    const w = raster.width;
    const east = r.labels[100 * w + (w - 5)], west = r.labels[100 * w + 5];
    expect(east).toBe(3);
    expect(west).not.toBe(3);
    const ndvi = normalisedDifference(raster, 3, 2);
    let vegNdvi = 0, vegN = 0, otherNdvi = 0, otherN = 0;
    for (let i = 0; i < r.labels.length; i++) {
      if (r.labels[i] === 5) { vegNdvi += ndvi[i]; vegN++; } else if (r.labels[i] === 0) { otherNdvi += ndvi[i]; otherN++; }
    }
    expect(vegNdvi / vegN).toBeGreaterThan(otherNdvi / otherN + 0.1);
  });

  it('names bad bands', async () => {
    const raster = { width: 2, height: 1, bands: 3, data: new Uint8Array(6) };
    expect(() => spectralIndexLabels(raster)).toThrow(/options.bands.nir must be an integer in \[0, 2\]; got 3/);
    expect(() => normalisedDifference(raster, 0, 5)).toThrow(/normalisedDifference\(\): b must be an integer in \[0, 2\]; got 5/);
  });
});

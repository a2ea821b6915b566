import type { Rng } from '@moe/runtime';
import type { RasterImage } from '../image/raster-image.js';
import { fbmNoise } from '../noise/fbm-noise.js';
import { SCENE_CLASS_ID } from './scene-classes.js';
import type { SceneDomain } from './scene-domain.js';
import type { SceneLayout } from './scene-layout.js';
import { sampleTexture, type SceneTextures } from './scene-textures.js';

type Rgbn = readonly [number, number, number, number];

/**
 * Mean reflectance (R, G, B, NIR) per class, rough orders of magnitude for visible/NIR surfaces: vegetation
 * is dark in red and bright in NIR (what makes IRRG differ from RGB), water dark in NIR.
 */
const BASE: Record<'background' | 'road' | 'water' | 'barren' | 'forest', Rgbn> = {
  background: [0.42, 0.44, 0.38, 0.36],
  road: [0.33, 0.33, 0.35, 0.24],
  water: [0.08, 0.17, 0.26, 0.04],
  barren: [0.58, 0.49, 0.38, 0.44],
  forest: [0.11, 0.26, 0.11, 0.58],
};
const ROOFS: readonly Rgbn[] = [[0.62, 0.3, 0.24, 0.34], [0.56, 0.56, 0.55, 0.4], [0.3, 0.3, 0.33, 0.22], [0.72, 0.7, 0.66, 0.55], [0.45, 0.35, 0.3, 0.3]];
const CROPS: readonly Rgbn[] = [[0.27, 0.45, 0.17, 0.62], [0.5, 0.4, 0.3, 0.32], [0.62, 0.56, 0.3, 0.45], [0.35, 0.5, 0.22, 0.55]];

const { building: BUILDING, road: ROAD, water: WATER, barren: BARREN, forest: FOREST, agriculture: AGRI } = SCENE_CLASS_ID;

/**
 * Renders a layout as an R, G, B, NIR stack in [0, 1]: per-class reflectance, per-object variation (roof
 * colour, crop type and row direction per field), material textures (real skimage ones when loaded),
 * low-frequency illumination, building shadows and sensor noise.
 */
export function renderScene(layout: SceneLayout, domain: SceneDomain, textures: SceneTextures, rng: Rng): RasterImage {
  const { size, labels, region, building } = layout;
  const n = size * size;
  const u = size / 128;
  const palette = domain.palette ?? [1, 1, 1, 1];
  const tex = textures.textures;
  const zoom = domain.textureScale * Math.max(0.5, u * 0.5);
  const contrast = domain.textureContrast;
  const offsets = Array.from({ length: 6 }, () => rng.next() * 512);
  const roof = Array.from({ length: layout.buildingCount + 1 }, () => ROOFS[rng.nextInt(ROOFS.length)].map((v) => v * (0.9 + 0.2 * rng.next())) as unknown as Rgbn);
  const fields = Array.from({ length: layout.regionCount }, () => ({
    crop: CROPS[rng.nextInt(CROPS.length)],
    angle: rng.next() * Math.PI,
    period: (3 + rng.next() * 4) * u,
    tint: 0.9 + 0.2 * rng.next(),
  }));
  const light = fbmNoise(size, size, rng, { octaves: 3 });
  const clumps = fbmNoise(size, size, rng, { scale: Math.max(2, 6 * u), octaves: 3 });
  // Building shadows fall away from the sun (one direction per scene), 1–3 px at 128².
  const sun = rng.next() * 2 * Math.PI;
  const shadowLen = (1 + 2 * rng.next()) * u;
  const sdx = Math.cos(sun), sdy = Math.sin(sun);
  const out = new Float32Array(n * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const cls = labels[i];
      let base: Rgbn;
      let t = 0;
      let mod = 0;
      if (cls === BUILDING) {
        base = roof[building[i]];
        t = 0.12 * sampleTexture(tex[domain.textures.roof], x, y, zoom, offsets[0], offsets[1]);
      } else if (cls === AGRI) {
        const f = fields[region[i]];
        base = f.crop.map((v) => v * f.tint) as unknown as Rgbn;
        mod = 0.07 * Math.sin((2 * Math.PI * (x * Math.cos(f.angle) + y * Math.sin(f.angle))) / f.period);
        t = 0.08 * sampleTexture(tex[domain.textures.vegetation], x, y, zoom, offsets[2], offsets[3]);
      } else if (cls === FOREST) {
        base = BASE.forest;
        mod = 0.12 * (clumps[i] - 0.5);
        t = 0.15 * sampleTexture(tex[domain.textures.vegetation], x, y, zoom * 1.5, offsets[2], offsets[3]);
      } else if (cls === BARREN) {
        base = BASE.barren;
        t = 0.12 * sampleTexture(tex[domain.textures.bare], x, y, zoom, offsets[4], offsets[5]);
      } else if (cls === ROAD) {
        base = BASE.road;
        t = 0.05 * sampleTexture(tex.gravel, x, y, zoom * 0.5, offsets[4], offsets[5]);
      } else if (cls === WATER) {
        base = BASE.water;
        mod = 0.03 * (clumps[i] - 0.5);
      } else {
        base = BASE.background;
        t = 0.08 * sampleTexture(tex[domain.textures.vegetation], x, y, zoom, offsets[0], offsets[3]);
      }
      // Shadow: a non-building pixel with a building a few pixels towards the sun.
      let shade = 1;
      if (cls !== BUILDING && cls !== WATER) {
        for (let s = 1; s <= shadowLen; s++) {
          const bx = Math.round(x + sdx * s), by = Math.round(y + sdy * s);
          if (bx >= 0 && bx < size && by >= 0 && by < size && labels[by * size + bx] === BUILDING) {
            shade = 0.55;
            break;
          }
        }
      }
      const illum = (0.9 + 0.2 * light[i]) * shade;
      for (let b = 0; b < 4; b++) {
        const v = base[b] * palette[b] * illum * (1 + contrast * t + mod) + 0.01 * rng.nextNormal();
        out[i * 4 + b] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
  return { width: size, height: size, channels: 4, data: out };
}

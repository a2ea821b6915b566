import { createRng, type Rng } from '@moe/runtime';
import { CLASS_REFLECTANCE, SCENE_CLASS_NAMES, type SceneClass } from './scene-classes.js';
import type { SceneDomain } from './scene-domains.js';
import { addClouds, addStripes } from './sensor-artefacts.js';
import { fbmNoise } from './value-noise.js';

/** Grey 512²-or-larger texture images (skimage's grass, gravel, brick) that modulate class surfaces. */
export interface SceneTextures {
  grass?: { size: number; data: Float32Array };
  gravel?: { size: number; data: Float32Array };
  brick?: { size: number; data: Float32Array };
}

/** One generated tile: s×s×3 image (HWC in [0, 1], the domain's band order) and its label map. */
export interface GeneratedScene {
  image: Float32Array;
  labels: Uint8Array;
}

const CLASS = Object.fromEntries(SCENE_CLASS_NAMES.map((n, i) => [n, i])) as Record<SceneClass, number>;

function uniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo + (hi - lo) * rng.next();
}

function pick(rng: Rng, weights: readonly number[]): number {
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((u -= weights[i]) < 0) return i;
  return weights.length - 1;
}

function textureWindow(rng: Rng, tex: { size: number; data: Float32Array } | undefined, s: number): Float32Array | undefined {
  if (!tex || tex.size < s) return undefined;
  const ox = rng.nextInt(tex.size - s + 1);
  const oy = rng.nextInt(tex.size - s + 1);
  const out = new Float32Array(s * s);
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) out[y * s + x] = tex.data[(oy + y) * tex.size + ox + x] - 0.5;
  return out;
}

/**
 * A procedural aerial tile with its label map (vision.md §4 "synthetic remote-sensing scene generator"):
 * Voronoi land parcels (barren / forest / agriculture by the domain's priors), an optional fBm water body,
 * straight roads and rectangular buildings with cast shadows, rendered from per-class (R, G, B, NIR)
 * reflectances with per-class textures (real skimage textures when given), per-tile illumination, the
 * domain's band order, then its artefacts (stripes, clouds). Labels are the ground truth under clouds.
 */
export function generateScene(domain: SceneDomain, size: number, seed: number, textures: SceneTextures = {}): GeneratedScene {
  if (!Number.isInteger(size) || size < 16) throw new Error(`generateScene: size must be an integer ≥ 16; got ${String(size)}`);
  const s = size;
  const rng = createRng(seed);
  const labels = new Uint8Array(s * s);
  // Parcels: nearest of a few random sites.
  const sites = Array.from({ length: 3 + rng.nextInt(5) }, () => ({ x: rng.next() * s, y: rng.next() * s, cls: [CLASS.barren, CLASS.forest, CLASS.agriculture][pick(rng, domain.parcels)], angle: rng.next() * Math.PI, freq: 0.5 + rng.next() * 0.6 }));
  const parcel = new Uint8Array(s * s);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      let best = 0;
      let bestD = Infinity;
      sites.forEach((p, i) => {
        const d = (p.x - x) ** 2 + (p.y - y) ** 2;
        if (d < bestD) [best, bestD] = [i, d];
      });
      parcel[y * s + x] = best;
      labels[y * s + x] = sites[best].cls;
    }
  }
  if (rng.next() < domain.water) {
    const field = fbmNoise(s, 2, 2, rng);
    const level = 0.6 + 0.2 * rng.next();
    for (let i = 0; i < s * s; i++) if (field[i] > level) labels[i] = CLASS.water;
  }
  const roads = Math.round(uniform(rng, domain.roads));
  for (let r = 0; r < roads; r++) {
    const angle = rng.next() * Math.PI;
    const cx = rng.next() * s;
    const cy = rng.next() * s;
    const half = 1 + rng.nextInt(2);
    const nx = -Math.sin(angle);
    const ny = Math.cos(angle);
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) if (Math.abs((x - cx) * nx + (y - cy) * ny) <= half) labels[y * s + x] = CLASS.road;
  }
  const shadow = new Float32Array(s * s);
  const roofTint = new Float32Array(s * s);
  const buildings = Math.round(uniform(rng, domain.buildings));
  for (let b = 0; b < buildings; b++) {
    const w = 4 + rng.nextInt(9);
    const h = 4 + rng.nextInt(9);
    const x0 = rng.nextInt(Math.max(1, s - w));
    const y0 = rng.nextInt(Math.max(1, s - h));
    let blocked = 0;
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (labels[y * s + x] === CLASS.water || labels[y * s + x] === CLASS.road) blocked++;
    if (blocked > (w * h) / 4) continue;
    const tint = rng.next() * 2 - 1;
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) {
      labels[y * s + x] = CLASS.building;
      roofTint[y * s + x] = tint;
    }
    for (let y = y0 + 1; y < Math.min(s, y0 + h + 2); y++) for (let x = x0 + w; x < Math.min(s, x0 + w + 2); x++) shadow[y * s + x] = 0.45;
  }
  // Render the four physical bands.
  const grain = fbmNoise(s, 8, 2, rng);
  const blotch = fbmNoise(s, 3, 2, rng);
  const grass = textureWindow(rng, textures.grass, s);
  const gravel = textureWindow(rng, textures.gravel, s);
  const brick = textureWindow(rng, textures.brick, s);
  const gain = uniform(rng, domain.gain);
  const k = domain.texture;
  const image = new Float32Array(s * s * 3);
  const order = domain.bands === 'RGB' ? [0, 1, 2] : [3, 0, 1];
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const i = y * s + x;
      const cls = SCENE_CLASS_NAMES[labels[i]];
      const refl = CLASS_REFLECTANCE[cls];
      let mod = 0;
      switch (cls) {
        case 'agriculture': {
          const p = sites[parcel[i]];
          mod = 0.12 * Math.sin((x * Math.cos(p.angle) + y * Math.sin(p.angle)) * p.freq * 2) + 0.3 * (grass?.[i] ?? 0);
          break;
        }
        case 'forest':
          mod = 0.25 * (grain[i] - 0.5) + 0.15 * (blotch[i] - 0.5) + 0.4 * (grass?.[i] ?? 0);
          break;
        case 'barren':
          mod = 0.2 * (blotch[i] - 0.5) + 0.5 * (gravel?.[i] ?? 0.1 * (grain[i] - 0.5));
          break;
        case 'building':
          mod = 0.15 * roofTint[i] + 0.2 * (brick?.[i] ?? 0);
          break;
        case 'road':
          mod = 0.05 * (grain[i] - 0.5);
          break;
        case 'water':
          mod = 0.05 * (blotch[i] - 0.5);
          break;
      }
      const shade = (1 - shadow[i]) * gain;
      order.forEach((band, c) => {
        image[i * 3 + c] = refl[band] * (1 + k * mod) * shade;
      });
    }
  }
  if (domain.stripes && rng.next() < domain.stripes.probability) addStripes(image, s, 3, rng, { periodic: rng.next() < 0.5, intensity: uniform(rng, domain.stripes.intensity), ratio: 0.1 + 0.2 * rng.next() });
  if (domain.clouds && rng.next() < domain.clouds.probability) addClouds(image, s, 3, rng, { coverage: uniform(rng, domain.clouds.coverage), shadow: 0.25 });
  for (let i = 0; i < image.length; i++) image[i] = Math.min(1, Math.max(0, image[i]));
  return { image, labels };
}

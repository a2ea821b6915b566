import type { Rng } from '@moe/runtime';
import { drawRange } from '../args/seeded-rng.js';
import { quantile } from '../artefacts/image-planes.js';
import { fbmNoise } from '../noise/fbm-noise.js';
import { SCENE_CLASS_ID } from './scene-classes.js';
import type { SceneDomain } from './scene-domain.js';

const { background: BG, building: BUILDING, road: ROAD, water: WATER, barren: BARREN, forest: FOREST, agriculture: AGRI } = SCENE_CLASS_ID;

/** A generated layout: class per pixel plus the ids the renderer needs to vary appearance per object. */
export interface SceneLayout {
  readonly size: number;
  readonly labels: Uint8Array;
  /** Land-cover region (Voronoi cell) per pixel: fields and stands get their own crop, colour and row angle. */
  readonly region: Uint16Array;
  readonly regionCount: number;
  /** Building id per pixel (0 = none, k = building k), for per-roof colours. */
  readonly building: Uint16Array;
  readonly buildingCount: number;
}

/** Stamps a filled disc of `radius` at (cx, cy) with `value` where `allow(index)` holds. */
function stampDisc(out: Uint8Array, size: number, cx: number, cy: number, radius: number, value: number, allow: (i: number) => boolean): void {
  const r2 = radius * radius;
  for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(size - 1, Math.ceil(cy + radius)); y++) {
    for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(size - 1, Math.ceil(cx + radius)); x++) {
      const i = y * size + x;
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r2 && allow(i)) out[i] = value;
    }
  }
}

/** Draws a polyline road or river by stamping discs every half pixel along it. */
function stampPath(out: Uint8Array, size: number, points: readonly [number, number][], radius: number, value: number, allow: (i: number) => boolean): void {
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
    for (let s = 0; s <= steps; s++) stampDisc(out, size, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, radius, value, allow);
  }
}

/** A slightly curved line through (px, py) at angle θ spanning the whole tile (quadratic bend, 24 segments). */
function crossingPath(size: number, px: number, py: number, theta: number, bend: number): [number, number][] {
  const half = size * 0.75;
  const dx = Math.cos(theta), dy = Math.sin(theta);
  const pts: [number, number][] = [];
  for (let k = 0; k <= 24; k++) {
    const t = (k / 24) * 2 - 1;
    const off = bend * (1 - t * t);
    pts.push([px + dx * t * half - dy * off, py + dy * t * half + dx * off]);
  }
  return pts;
}

/** Chamfer (3-4) distance to the nearest pixel of `cls`, in pixels. */
function distanceTo(labels: Uint8Array, size: number, cls: number): Float32Array {
  const d = new Float32Array(size * size).fill(1e9);
  for (let i = 0; i < d.length; i++) if (labels[i] === cls) d[i] = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const i = y * size + x;
    if (x > 0) d[i] = Math.min(d[i], d[i - 1] + 3);
    if (y > 0) {
      d[i] = Math.min(d[i], d[i - size] + 3);
      if (x > 0) d[i] = Math.min(d[i], d[i - size - 1] + 4);
      if (x < size - 1) d[i] = Math.min(d[i], d[i - size + 1] + 4);
    }
  }
  for (let y = size - 1; y >= 0; y--) for (let x = size - 1; x >= 0; x--) {
    const i = y * size + x;
    if (x < size - 1) d[i] = Math.min(d[i], d[i + 1] + 3);
    if (y < size - 1) {
      d[i] = Math.min(d[i], d[i + size] + 3);
      if (x < size - 1) d[i] = Math.min(d[i], d[i + size + 1] + 4);
      if (x > 0) d[i] = Math.min(d[i], d[i + size - 1] + 4);
    }
  }
  for (let i = 0; i < d.length; i++) d[i] /= 3;
  return d;
}

/**
 * Procedural layout (vision.md §4): domain-warped Voronoi regions for the land cover, fBm water bodies and
 * an optional river, roads as slightly curved lines (a rotated grid in towns), rotated rectangular buildings
 * on open land (near roads in towns). Sizes scale with the tile, so a 256² tile looks like a 128² one at
 * twice the resolution.
 */
export function generateLayout(size: number, rng: Rng, domain: SceneDomain): SceneLayout {
  const u = size / 128;
  const n = size * size;
  const labels = new Uint8Array(n);
  // 1. Land cover: Voronoi cells with warped borders.
  const seeds = 8 + rng.nextInt(10);
  const sx = Float64Array.from({ length: seeds }, () => rng.next() * size);
  const sy = Float64Array.from({ length: seeds }, () => rng.next() * size);
  const lc = domain.landCover;
  const weights: [number, number][] = [[BG, lc.background], [BARREN, lc.barren], [FOREST, lc.forest], [AGRI, lc.agriculture]];
  const totalWeight = weights.reduce((a, [, w]) => a + w, 0);
  const cellClass = Array.from({ length: seeds }, () => {
    let r = rng.next() * totalWeight;
    for (const [cls, w] of weights) if ((r -= w) < 0) return cls;
    return AGRI;
  });
  const warpX = fbmNoise(size, size, rng, { octaves: 4 });
  const warpY = fbmNoise(size, size, rng, { octaves: 4 });
  const amp = 0.15 * size;
  const region = new Uint16Array(n);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const i = y * size + x;
    const px = x + (warpX[i] - 0.5) * 2 * amp, py = y + (warpY[i] - 0.5) * 2 * amp;
    let best = 0, bestD = Infinity;
    for (let s = 0; s < seeds; s++) {
      const d = (px - sx[s]) ** 2 + (py - sy[s]) ** 2;
      if (d < bestD) [bestD, best] = [d, s];
    }
    region[i] = best;
    labels[i] = cellClass[best];
  }
  // 2. Water: the highest part of a smooth field (lakes), and maybe a river.
  const waterShare = drawRange(rng, domain.water);
  const waterField = fbmNoise(size, size, rng, { octaves: 4, scale: size / 1.5 });
  if (waterShare > 0) {
    const t = quantile(waterField, 1 - waterShare);
    for (let i = 0; i < n; i++) if (waterField[i] > t) labels[i] = WATER;
  }
  if (rng.next() < domain.river) {
    stampPath(labels, size, crossingPath(size, rng.next() * size, rng.next() * size, rng.next() * Math.PI, (rng.next() - 0.5) * size * 0.6), (2 + 3 * rng.next()) * u, WATER, () => true);
  }
  // 3. Roads (not over water: no bridges).
  const roadCount = Math.round(drawRange(rng, domain.roads) * u);
  const notWater = (i: number): boolean => labels[i] !== WATER;
  const gridAngle = rng.next() * Math.PI;
  for (let r = 0; r < roadCount; r++) {
    const theta = domain.roadGrid ? gridAngle + (r % 2) * (Math.PI / 2) + (rng.next() - 0.5) * 0.06 : rng.next() * Math.PI;
    const bend = domain.roadGrid ? 0 : (rng.next() - 0.5) * size * 0.3;
    stampPath(labels, size, crossingPath(size, rng.next() * size, rng.next() * size, theta, bend), (1 + 1.5 * rng.next()) * u, ROAD, notWater);
  }
  // 4. Buildings: rotated rectangles on open land, one pixel apart, near roads in towns.
  const building = new Uint16Array(n);
  const roadDistance = domain.buildingsNearRoads ? distanceTo(labels, size, ROAD) : null;
  const target = Math.round(drawRange(rng, domain.buildings) * u * u);
  let placed = 0;
  for (let attempt = 0; attempt < target * 25 && placed < target; attempt++) {
    const cx = rng.next() * size, cy = rng.next() * size;
    const ci = Math.floor(cy) * size + Math.floor(cx);
    if (roadDistance !== null && (roadDistance[ci] > 14 * u || roadDistance[ci] < 3 * u)) continue;
    const bw = (4 + rng.next() * 10) * u, bh = (4 + rng.next() * 8) * u;
    const theta = domain.roadGrid ? gridAngle + (rng.nextInt(2) * Math.PI) / 2 + (rng.next() - 0.5) * 0.1 : rng.next() * Math.PI;
    const c = Math.cos(theta), s = Math.sin(theta);
    const reach = Math.hypot(bw, bh) / 2 + 1;
    const cells: number[] = [];
    let ok = true;
    for (let y = Math.max(0, Math.floor(cy - reach)); ok && y <= Math.min(size - 1, Math.ceil(cy + reach)); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(size - 1, Math.ceil(cx + reach)); x++) {
        const lx = (x - cx) * c + (y - cy) * s, ly = -(x - cx) * s + (y - cy) * c;
        const inside = Math.abs(lx) <= bw / 2 && Math.abs(ly) <= bh / 2;
        const margin = Math.abs(lx) <= bw / 2 + 1 && Math.abs(ly) <= bh / 2 + 1;
        const i = y * size + x;
        if (margin && (labels[i] === ROAD || labels[i] === WATER || labels[i] === BUILDING || labels[i] === FOREST)) {
          ok = false;
          break;
        }
        if (inside) cells.push(i);
      }
    }
    if (!ok || cells.length < 6) continue;
    placed++;
    for (const i of cells) {
      labels[i] = BUILDING;
      building[i] = placed;
    }
  }
  return { size, labels, region, regionCount: seeds, building, buildingCount: placed };
}

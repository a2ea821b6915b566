import { createRng } from '@moe/runtime';
import { createRasterImage, type RasterImage } from '@moe/vision';

/**
 * A procedural outdoor scene (clean image) for when real photos run short: sky gradient over a textured
 * ground, a skyline of buildings with lit windows, a few trees and a road. Deterministic in `seed`. It
 * supplies edges, flat regions and texture at several scales, which is what restoration must keep.
 */
export function proceduralScene(width: number, height: number, seed: number): RasterImage {
  const rng = createRng(seed);
  const u = (a: number, b: number) => a + (b - a) * rng.next();
  const data = new Float32Array(width * height * 3);
  const horizon = Math.round(height * u(0.35, 0.6));
  const skyTop = [u(0.25, 0.55), u(0.45, 0.7), u(0.75, 1)];
  const skyLow = [u(0.7, 0.95), u(0.75, 0.95), u(0.8, 1)];
  const ground = [u(0.2, 0.45), u(0.3, 0.55), u(0.1, 0.3)];
  const grain = new Float32Array(width * height).map(() => rng.next());
  const set = (x: number, y: number, c: readonly number[]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    data[i] = c[0];
    data[i + 1] = c[1];
    data[i + 2] = c[2];
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < horizon) {
        const t = y / Math.max(1, horizon);
        set(x, y, skyTop.map((v, c) => v * (1 - t) + skyLow[c] * t));
      } else {
        const g = 0.85 + 0.3 * grain[y * width + x] * ((y - horizon) / (height - horizon + 1) + 0.3);
        set(x, y, ground.map((v) => Math.min(1, v * g)));
      }
    }
  }
  // Buildings standing on the horizon.
  let x = Math.round(u(-10, 5));
  while (x < width) {
    const w = Math.round(u(width * 0.06, width * 0.2));
    const h = Math.round(u(height * 0.1, height * 0.45));
    const shade = u(0.25, 0.75);
    const tint = [shade * u(0.85, 1.1), shade * u(0.85, 1.05), shade * u(0.85, 1.15)].map((v) => Math.min(1, v));
    const lit = [u(0.8, 1), u(0.75, 0.95), u(0.4, 0.7)];
    const cell = Math.max(3, Math.round(u(4, 8)));
    for (let yy = horizon - h; yy < horizon; yy++) {
      for (let xx = x; xx < x + w; xx++) {
        const window = (xx - x) % cell >= 1 && (xx - x) % cell < cell - 1 && (horizon - yy) % cell >= 1 && (horizon - yy) % cell < cell - 1;
        set(xx, yy, window && grain[Math.abs(yy * width + xx) % grain.length] > 0.55 ? lit : tint);
      }
    }
    x += w + Math.round(u(0, width * 0.05));
  }
  // A road converging to the horizon.
  const vx = u(width * 0.3, width * 0.7);
  for (let y = horizon; y < height; y++) {
    const t = (y - horizon) / Math.max(1, height - horizon);
    const half = 2 + t * width * 0.25;
    for (let xx = Math.floor(vx - half); xx <= vx + half; xx++) set(xx, y, Math.abs(xx - vx) < 1 + t * 2 && y % 8 < 4 ? [0.9, 0.9, 0.85] : [0.3, 0.3, 0.32]);
  }
  // Trees: dark green discs on trunks.
  const trees = Math.round(u(2, 7));
  for (let k = 0; k < trees; k++) {
    const cx = u(0, width);
    const cy = horizon + u(0, (height - horizon) * 0.6);
    const r = u(height * 0.04, height * 0.1);
    const leaf = [u(0.05, 0.2), u(0.3, 0.55), u(0.05, 0.2)];
    for (let yy = Math.floor(cy - 2 * r); yy <= cy + r; yy++) {
      for (let xx = Math.floor(cx - r); xx <= cx + r; xx++) {
        const inCrown = Math.hypot(xx - cx, yy - (cy - r)) < r;
        const inTrunk = Math.abs(xx - cx) < r * 0.15 && yy > cy - r;
        if (inCrown) set(xx, yy, leaf.map((v) => v * (0.8 + 0.4 * grain[Math.abs(yy * width + xx) % grain.length])));
        else if (inTrunk) set(xx, yy, [0.3, 0.2, 0.1]);
      }
    }
  }
  return createRasterImage(width, height, 3, data);
}

import { createPlane, type FloatPlane } from './float-image.js';
import { gaussianBlurPlane, normalisePlane, samplePlane } from './plane-filters.js';
import type { WeatherRandom } from './weather-random.js';

/** Options of {@link syntheticDepth}. */
export interface SyntheticDepthOptions {
  /** Weight of the low-frequency noise against the vertical ramp (default 0.35). */
  noise?: number;
  /** Noise grid cells along the shorter side (default 3: features about a third of the image). */
  cells?: number;
  /** Gaussian smoothing σ in pixels relative to a 480-px-high frame (default 5, as Outdoor-Rain smooths its depth); scaled by height/480. */
  smoothing?: number;
}

/**
 * A plausible scene depth without a depth sensor (vision.md §4): a vertical ramp (bottom near = 0, top far = 1,
 * as in a street or landscape photo) plus bilinear value noise on a coarse grid, Gaussian-smoothed and
 * normalised to [0, 1].
 */
export function syntheticDepth(width: number, height: number, rng: WeatherRandom, options: SyntheticDepthOptions = {}): FloatPlane {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new Error(`syntheticDepth: width and height must be positive integers; got ${String(width)}×${String(height)}`);
  }
  const noise = options.noise ?? 0.35;
  const cells = options.cells ?? 3;
  const smoothing = options.smoothing ?? 5;
  if (!(noise >= 0 && noise <= 1)) throw new Error(`syntheticDepth: options.noise must be in [0, 1]; got ${String(noise)}`);
  if (!Number.isInteger(cells) || cells < 1) throw new Error(`syntheticDepth: options.cells must be a positive integer; got ${String(cells)}`);
  if (!(smoothing >= 0)) throw new Error(`syntheticDepth: options.smoothing must be ≥ 0; got ${String(smoothing)}`);
  const step = Math.min(width, height) / cells;
  const gw = Math.ceil(width / step) + 2;
  const gh = Math.ceil(height / step) + 2;
  const grid = createPlane(gw, gh);
  for (let i = 0; i < grid.data.length; i++) grid.data[i] = rng.next();
  const depth = createPlane(width, height);
  for (let y = 0; y < height; y++) {
    const ramp = height === 1 ? 0.5 : 1 - y / (height - 1);
    for (let x = 0; x < width; x++) depth.data[y * width + x] = (1 - noise) * ramp + noise * samplePlane(grid, x / step, y / step);
  }
  return normalisePlane(gaussianBlurPlane(depth, (smoothing * height) / 480));
}

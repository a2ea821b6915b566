import { checkRgbImage, clampInPlace, rgbOf, createPlane, type FloatPlane, type FloatRgbImage } from './float-image.js';
import { filterRgb, gaussianBlurPlane, samplePlane, channelPlane } from './plane-filters.js';
import { checkRange, sampleRange, uniform, weatherRandom, type Range } from './weather-random.js';

/** Parameter ranges of {@link addRaindrops}. Sizes are for a 256-px shorter side and scale with the image (at least ×0.5); at least one drop per image. */
export interface RaindropOptions {
  /** Drops per 256² pixels. Default [8, 25]. */
  drops?: Range;
  /** Drop semi-axis in pixels (at 256 px). Default [5, 18]. */
  radius?: Range;
  /** Brightness lift inside a drop. Default [0.03, 0.15]. */
  lift?: Range;
  /** Blur σ (pixels at 256 px) of what a drop shows: drops on the lens are out of focus. Default [2, 4]. */
  blur?: Range;
}

export interface RaindropResult {
  image: FloatRgbImage;
  /** M: the soft drop mask in [0, 1]. */
  mask: FloatPlane;
  drops: number;
}

export const RAINDROP_DEFAULTS = { drops: [8, 25] as Range, radius: [5, 18] as Range, lift: [0.03, 0.15] as Range, blur: [2, 4] as Range };

/**
 * Adherent raindrops (Qian et al. 2018 model I = (1 − M)⊙B + R, vision.md §4): random ellipses with soft edges
 * form M; R is what each drop shows: a blurred, vertically flipped and shrunk view of the scene around it
 * (a drop acts as a small fish-eye lens), lifted in brightness.
 */
export function addRaindrops(clean: FloatRgbImage, seed: number, options: RaindropOptions = {}): RaindropResult {
  checkRgbImage('addRaindrops', 'clean', clean);
  const o = { ...RAINDROP_DEFAULTS, ...options };
  checkRange('addRaindrops', 'options.drops', o.drops, 0, 1e4);
  checkRange('addRaindrops', 'options.radius', o.radius, 0.5, 1e3);
  checkRange('addRaindrops', 'options.lift', o.lift, 0, 1);
  checkRange('addRaindrops', 'options.blur', o.blur, 0, 100);
  const { width, height } = clean;
  const rng = weatherRandom('addRaindrops', seed);
  // Sizes scale with the image, but not below half the reference (tiny crops would get sub-pixel drops),
  // and every image gets at least one drop (a crop of a few thousand pixels would otherwise get none).
  const unit = Math.max(0.5, Math.min(width, height) / 256);
  const drops = Math.max(1, Math.round((sampleRange(rng, o.drops) * width * height) / (256 * 256)));
  const sigma = Math.max(0.5, sampleRange(rng, o.blur) * unit);
  const blurred = filterRgb(clean.data, width, height, (p) => gaussianBlurPlane(p, sigma));
  const planes = [0, 1, 2].map((c) => channelPlane(blurred, width, height, c));
  const mask = createPlane(width, height);
  const out = Float32Array.from(clean.data);
  for (let d = 0; d < drops; d++) {
    const cx = uniform(rng, 0, width);
    const cy = uniform(rng, 0, height);
    const rx = Math.max(1.5, sampleRange(rng, o.radius) * unit);
    const ry = rx * uniform(rng, 0.7, 1.3);
    const lift = sampleRange(rng, o.lift);
    const x0 = Math.max(0, Math.floor(cx - rx - 1));
    const x1 = Math.min(width - 1, Math.ceil(cx + rx + 1));
    const y0 = Math.max(0, Math.floor(cy - ry - 1));
    const y1 = Math.min(height - 1, Math.ceil(cy + ry + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const u = (x + 0.5 - cx) / rx;
        const v = (y + 0.5 - cy) / ry;
        const r = Math.hypot(u, v);
        // Soft edge over the outer 20 % of the radius.
        const m = Math.max(0, Math.min(1, (1 - r) / 0.2));
        if (m <= 0) continue;
        const i = y * width + x;
        if (m <= mask.data[i]) continue;
        mask.data[i] = m;
        // Refraction: the drop shows the scene around it flipped and shrunk about its centre.
        const sx = cx - u * rx * 1.8;
        const sy = cy - v * ry * 1.8;
        for (let c = 0; c < 3; c++) {
          const refr = Math.min(1, samplePlane(planes[c], sx, sy) + lift);
          out[i * 3 + c] = (1 - m) * clean.data[i * 3 + c] + m * refr;
        }
      }
    }
  }
  return { image: rgbOf(width, height, clampInPlace(out)), mask, drops };
}

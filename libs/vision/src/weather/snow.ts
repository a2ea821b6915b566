import { checkRgbImage, clampInPlace, rgbOf, createPlane, type FloatPlane, type FloatRgbImage } from './float-image.js';
import { gaussianBlurPlane, motionBlurPlane } from './plane-filters.js';
import { checkRange, sampleRange, uniform, weatherRandom, type Range } from './weather-random.js';

/** Parameter ranges of {@link addSnow}. Flake counts are per 256×256 pixels and scale with the image area. */
export interface SnowOptions {
  /** Flakes per 256² pixels. Default [800, 2500]. */
  flakes?: Range;
  /** Share of small flakes (radius 1–2 px; the rest radius 3–4 px). Default [0.75, 0.95]. */
  smallShare?: Range;
  /** Wind: the common motion-blur angle is 90° ± this (degrees). Default [−30, 30]. */
  wind?: Range;
  /** Screen-blend opacity of the snow layer. Default [0.2, 0.3]. */
  opacity?: Range;
  /** Snow colour a (grey level). Default [0.9, 1.0]. */
  colour?: Range;
}

export interface SnowResult {
  image: FloatRgbImage;
  /** z: the snow mask actually blended (opacity included), in [0, 1]. */
  mask: FloatPlane;
  flakes: number;
  angle: number;
  opacity: number;
}

export const SNOW_DEFAULTS = {
  flakes: [800, 2500] as Range,
  smallShare: [0.75, 0.95] as Range,
  wind: [-30, 30] as Range,
  opacity: [0.2, 0.3] as Range,
  colour: [0.9, 1.0] as Range,
};

/**
 * Procedural falling snow (vision.md §4: the addSnow.py recipe and the Snow100K model I = a·z + J·(1 − z)):
 * flakes are discs (75–95 % small), each motion-blurred along one common wind direction (its own streak
 * length), combined by max, blurred 5×5 (σ = 1) and blended at opacity o. Screen-blending a white layer z·o is
 * exactly I = z·o + J·(1 − z·o), the Snow100K model with a = 1; a is drawn near white instead.
 * Deviation: the blurred flake layer is scaled ×3 before the opacity (capped at 1): at 64–256 px a flake is a
 * few pixels wide and the recipe's 0.2–0.3 opacity leaves it nearly invisible.
 */
export function addSnow(clean: FloatRgbImage, seed: number, options: SnowOptions = {}): SnowResult {
  checkRgbImage('addSnow', 'clean', clean);
  const o = { ...SNOW_DEFAULTS, ...options };
  checkRange('addSnow', 'options.flakes', o.flakes, 0, 1e6);
  checkRange('addSnow', 'options.smallShare', o.smallShare, 0, 1);
  checkRange('addSnow', 'options.wind', o.wind, -90, 90);
  checkRange('addSnow', 'options.opacity', o.opacity, 0, 1);
  checkRange('addSnow', 'options.colour', o.colour, 0, 1);
  const { width, height } = clean;
  const rng = weatherRandom('addSnow', seed);
  const flakes = Math.round((sampleRange(rng, o.flakes) * width * height) / (256 * 256));
  const smallShare = sampleRange(rng, o.smallShare);
  const angle = 90 + sampleRange(rng, o.wind);
  const opacity = sampleRange(rng, o.opacity);
  const colour = sampleRange(rng, o.colour);
  // Flakes of one size class share a blur (a flake's streak grows with its size: nearer flakes move faster).
  const layers = [createPlane(width, height), createPlane(width, height)];
  for (let f = 0; f < flakes; f++) {
    const small = rng.next() < smallShare;
    const radius = small ? uniform(rng, 1, 2) : uniform(rng, 3, 4);
    const brightness = uniform(rng, 0.7, 1);
    drawDisc(layers[small ? 0 : 1], uniform(rng, 0, width), uniform(rng, 0, height), radius, brightness);
  }
  const blurred = layers.map((p, i) => motionBlurPlane(p, i === 0 ? 3 : 7, angle));
  const combined = createPlane(width, height);
  for (let i = 0; i < combined.data.length; i++) combined.data[i] = Math.max(blurred[0].data[i] * 2, blurred[1].data[i] * 2.5);
  const mask = gaussianBlurPlane(combined, 1, 2);
  const out = new Float32Array(clean.data.length);
  for (let i = 0; i < mask.data.length; i++) {
    const z = Math.min(1, mask.data[i]) * opacity * 3;
    mask.data[i] = Math.min(1, z);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = colour * mask.data[i] + clean.data[i * 3 + c] * (1 - mask.data[i]);
  }
  return { image: rgbOf(width, height, clampInPlace(out)), mask, flakes, angle, opacity };
}

/** Anti-aliased disc of value `v` drawn with max into a plane. */
function drawDisc(plane: FloatPlane, cx: number, cy: number, radius: number, v: number): void {
  const { width, height, data } = plane;
  const r = Math.ceil(radius + 1);
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const cover = Math.max(0, Math.min(1, radius + 0.5 - d));
      if (cover > 0) data[y * width + x] = Math.max(data[y * width + x], v * cover);
    }
  }
}

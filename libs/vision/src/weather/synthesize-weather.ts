import type { FloatPlane, FloatRgbImage } from './float-image.js';
import { addHaze, type HazeOptions } from './haze.js';
import { addRain, type RainOptions } from './rain.js';
import { addRaindrops, type RaindropOptions } from './raindrop.js';
import { addSnow, type SnowOptions } from './snow.js';

/** The weather types the synthesis renders. */
export const WEATHER_TYPES = ['rain', 'haze', 'snow', 'raindrop'] as const;
export type WeatherType = (typeof WEATHER_TYPES)[number];

export function isWeatherType(value: unknown): value is WeatherType {
  return typeof value === 'string' && (WEATHER_TYPES as readonly string[]).includes(value);
}

/** Per-type parameter overrides. */
export interface WeatherOptions {
  rain?: RainOptions;
  haze?: HazeOptions;
  snow?: SnowOptions;
  raindrop?: RaindropOptions;
}

/** One degraded image with every auxiliary target its model produced (absent ones do not apply). */
export interface WeatherSample {
  type: WeatherType;
  degraded: FloatRgbImage;
  /** Rain streak layer S (rain). */
  streaks?: FloatPlane;
  /** Transmission t / veil T (haze, rain). */
  transmission?: FloatPlane;
  /** Global airlight A (haze, rain). */
  airlight?: number;
  /** Snow mask z (snow) or drop mask M (raindrop). */
  mask?: FloatPlane;
  /** The drawn scalar parameters, for logging and reproduction. */
  params: Record<string, number>;
}

/** Renders one weather type onto a clean image; deterministic in `seed`. */
export function synthesizeWeather(clean: FloatRgbImage, type: WeatherType, seed: number, options: WeatherOptions = {}): WeatherSample {
  if (!isWeatherType(type)) throw new Error(`synthesizeWeather: type must be one of ${WEATHER_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
  switch (type) {
    case 'rain': {
      const r = addRain(clean, seed, options.rain);
      return { type, degraded: r.image, streaks: r.streaks, transmission: r.transmission, airlight: r.airlight, params: { beta: r.beta, airlight: r.airlight, length: r.length, angle: r.angle } };
    }
    case 'haze': {
      const r = addHaze(clean, seed, options.haze);
      return { type, degraded: r.image, transmission: r.transmission, airlight: r.airlight, params: { beta: r.beta, airlight: r.airlight } };
    }
    case 'snow': {
      const r = addSnow(clean, seed, options.snow);
      return { type, degraded: r.image, mask: r.mask, params: { flakes: r.flakes, angle: r.angle, opacity: r.opacity } };
    }
    case 'raindrop': {
      const r = addRaindrops(clean, seed, options.raindrop);
      return { type, degraded: r.image, mask: r.mask, params: { drops: r.drops } };
    }
  }
}

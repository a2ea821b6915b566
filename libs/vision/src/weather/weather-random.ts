import { createRng, type Rng } from '@moe/runtime';
import { checkRange as checkPair } from '../args/check-args.js';

/** The random source synthesis draws from: @moe/runtime's seeded mulberry32 generator. */
export type WeatherRandom = Pick<Rng, 'next' | 'nextNormal'>;

export function weatherRandom(fn: string, seed: unknown): WeatherRandom {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new TypeError(`${fn}(): seed must be a non-negative integer; got ${String(seed)}`);
  return createRng(seed);
}

/** Uniform in [lo, hi). */
export function uniform(rng: WeatherRandom, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** A closed numeric range [min, max] a parameter is drawn from. */
export type Range = readonly [number, number];

/** Throws naming the option unless it is a [lo, hi] pair inside [min, max]. */
export function checkRange(fn: string, arg: string, range: unknown, min: number, max: number): asserts range is Range {
  checkPair(fn, arg, range, min, max);
}

export function sampleRange(rng: WeatherRandom, range: Range): number {
  return uniform(rng, range[0], range[1]);
}

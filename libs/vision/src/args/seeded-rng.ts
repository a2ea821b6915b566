import { createRng, type Rng } from '@moe/runtime';
import { argError } from './check-args.js';

/** A seeded generator for a synthesis function; the seed must be a non-negative safe integer. */
export function seededRng(fn: string, seed: unknown): Rng {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw argError(fn, 'seed', 'a non-negative integer', seed);
  return createRng(seed);
}

/** Uniform draw from a [lo, hi] range. */
export function drawRange(rng: Rng, range: readonly [number, number]): number {
  return range[0] + (range[1] - range[0]) * rng.next();
}

/** Uniform integer draw from an inclusive [lo, hi] range of integers. */
export function drawIntRange(rng: Rng, range: readonly [number, number]): number {
  return range[0] + rng.nextInt(range[1] - range[0] + 1);
}

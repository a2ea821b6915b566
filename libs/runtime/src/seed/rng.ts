/**
 * Seeded pseudo-random numbers for everything the runtime randomises on the JS side (data order, seeds
 * handed to tfjs ops). `Math.random` cannot be seeded, and tfjs' own seeded ops cover tensors only.
 *
 * mulberry32 is the generator: 32-bit state, passes PractRand to 2^32 outputs, one multiply-xorshift per
 * call; more than enough for shuffling, and trivially portable (the same seed gives the same sequence on
 * every platform). splitmix32 turns an arbitrary seed (or a parent seed + a name) into a well-mixed
 * state, so nearby seeds (1, 2, 3) do not give correlated streams.
 */

/** One splitmix32 step: a bijective 32-bit mixer, used to derive states and child seeds. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seed derived from `seed` and a label: independent streams for 'shuffle', 'dropout', 'step:12'...
 * (Named apart from @moe/core's `deriveSeed`, which derives parameter-init seeds differently.)
 */
export function childSeed(seed: number, label: string | number): number {
  assertSeed(seed, 'seed');
  let h = splitmix32(seed);
  const text = String(label);
  for (let i = 0; i < text.length; i++) h = splitmix32(h ^ text.charCodeAt(i));
  return h;
}

/** A seeded pseudo-random generator (see {@link createRng}). */
export interface Rng {
  /** The seed this generator started from. */
  readonly seed: number;
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number;
  /** Standard normal (Box-Muller). */
  nextNormal(): number;
  /** An independent generator for a named sub-stream; does not advance this one. */
  fork(label: string | number): Rng;
  /** The internal state, to resume a stream exactly (e.g. after a checkpoint). */
  getState(): number;
  setState(state: number): void;
}

/**
 * Creates a seeded generator.
 *
 * ```ts
 * const rng = createRng(42);
 * rng.next();        // 0 <= x < 1, the same on every run
 * rng.nextInt(10);   // 0..9
 * ```
 */
export function createRng(seed: number): Rng {
  assertSeed(seed, 'seed');
  let state = splitmix32(seed);
  const nextUint32 = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  return {
    seed,
    next,
    nextUint32,
    nextInt(n: number): number {
      if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
        throw new RangeError(`nextInt: n must be an integer in [1, 2^32], got ${n}`);
      }
      // Rejection sampling: drop the top partial bucket so every residue is equally likely.
      const limit = 4294967296 - (4294967296 % n);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return x % n;
    },
    nextNormal(): number {
      // 1 - next() is in (0, 1], so the log is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => createRng(childSeed(seed, label)),
    getState: () => state >>> 0,
    setState(s: number): void {
      if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) throw new RangeError(`setState: state must be a uint32, got ${s}`);
      state = s | 0;
    },
  };
}

/** Seeds are integers that fit in 32 bits (negative ones are taken modulo 2^32). */
export function assertSeed(seed: number, name: string): void {
  if (!Number.isSafeInteger(seed)) throw new TypeError(`${name} must be a safe integer, got ${String(seed)}`);
}

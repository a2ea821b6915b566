import * as tf from '@tensorflow/tfjs-core';

/** Deterministic pseudo-random values in [-1, 1) (no tf RNG, so every backend sees the same inputs). */
export function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Runs `fn` on the cpu backend (the reference), returns its outputs' values, and restores the backend.
 * `useBackend` is @moe/testing's (passed in: this helper is not a spec, and @moe/testing depends on us).
 */
export async function onCpu(useBackend: (name: 'cpu') => Promise<void>, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const previous = tf.getBackend();
  await useBackend('cpu');
  try {
    const out = fn();
    const list = Array.isArray(out) ? out : [out];
    const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(list);
    return values;
  } finally {
    await tf.setBackend(previous);
  }
}

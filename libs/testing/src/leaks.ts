import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and fails if it leaves more tensors alive than before. Tensors `fn` creates and returns are
 * the caller's results, not leaks (they are not disposed). Works with async bodies, which `tf.tidy` cannot.
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = 'body'): Promise<T> {
  // Tensor ids only grow: anything with a larger id than this marker was created by `fn`. Only those count
  // as results; a returned tensor that existed before (an input handed back) must not offset a real leak.
  const marker = tf.scalar(0);
  const firstNewId = marker.id + 1;
  marker.dispose();
  const before = tf.memory().numTensors;
  const result = await fn();
  const returned = collectTensors(result).filter((t) => t.id >= firstNewId);
  const after = tf.memory().numTensors - returned.length;
  if (after !== before) {
    throw new Error(`${label} leaked ${after - before} tensor(s): ${before} alive before, ${after} after (not counting ${returned.length} returned)`);
  }
  return result;
}

function collectTensors(value: unknown, out: tf.Tensor[] = [], seen = new Set<unknown>()): tf.Tensor[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    if (!value.isDisposed) out.push(value);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectTensors(v, out, seen);
  return out;
}

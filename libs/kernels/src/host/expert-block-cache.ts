import type * as tf from '@tensorflow/tfjs-core';
import type { HostTensors } from './host-tensors.js';

/**
 * Per-expert copies of a weight tensor [E, a, b] (optionally each block transposed), kept while that weight
 * lives. wasm's matmul packs its B operand for XNNPACK and caches the packed form per tensor id: slicing a
 * fresh block per call would repack every expert's weight on every call (≈17 ms for 512×1024 here, a
 * third of that expert's matmul). A stable block per expert lets inference, evaluation and every pass
 * that reuses a weight skip it. Costs one extra copy of each live weight (two when its transposed blocks
 * are used as well). Entries are freed when their source weight is found disposed (swept on each call).
 */
const caches = new WeakMap<object, Map<tf.DataId, Map<string, tf.TensorInfo[]>>>();

export function expertBlocks(io: HostTensors, backendKey: object, w: tf.TensorInfo, transpose: boolean, copyBlock: (e: number) => tf.TensorInfo): tf.TensorInfo[] {
  const E = w.shape[0];
  const isAlive = io.isAlive;
  if (isAlive == null) return Array.from({ length: E }, (_, e) => copyBlock(e));
  let cache = caches.get(backendKey);
  if (cache == null) caches.set(backendKey, (cache = new Map()));
  for (const [dataId, variants] of cache) {
    if (!isAlive(dataId)) {
      variants.forEach((blocks) => blocks.forEach((t) => io.free(t)));
      cache.delete(dataId);
    }
  }
  let variants = cache.get(w.dataId);
  if (variants == null) cache.set(w.dataId, (variants = new Map()));
  const key = transpose ? 'T' : 'N';
  let blocks = variants.get(key);
  if (blocks == null) variants.set(key, (blocks = Array.from({ length: E }, (_, e) => copyBlock(e))));
  return blocks;
}

/** Whether blocks from expertBlocks belong to the cache (and so must not be freed by the caller). */
export function blocksAreCached(io: HostTensors): boolean {
  return io.isAlive != null;
}

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
const caches = new Map<object, { io: HostTensors; entries: Map<tf.DataId, Map<string, tf.TensorInfo[]>> }>();

export function expertBlocks(io: HostTensors, backendKey: object, w: tf.TensorInfo, transpose: boolean, copyBlock: (e: number) => tf.TensorInfo): tf.TensorInfo[] {
  const E = w.shape[0];
  const isAlive = io.isAlive;
  if (isAlive == null) return Array.from({ length: E }, (_, e) => copyBlock(e));
  let slot = caches.get(backendKey);
  if (slot == null) caches.set(backendKey, (slot = { io, entries: new Map() }));
  slot.io = io;
  const cache = slot.entries;
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

/**
 * Frees every cached expert block now (they are otherwise freed lazily, on the next grouped matmul after
 * their weight is disposed). For long-lived processes that stop using MoE layers.
 */
export function clearExpertBlockCache(): void {
  for (const { io, entries } of caches.values()) {
    entries.forEach((variants) => variants.forEach((blocks) => blocks.forEach((t) => io.free(t))));
    entries.clear();
  }
}

/** Whether blocks from expertBlocks belong to the cache (and so must not be freed by the caller). */
export function blocksAreCached(io: HostTensors): boolean {
  return io.isAlive != null;
}

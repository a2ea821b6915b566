import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot [n, depth] float32 built on the host. Not tf.oneHot: tfjs-backend-wasm 4.22 ignores the float32
 * dtype and writes int32 bit patterns (1 reads as 1.4e-45), which silently zeroes every domain selection.
 */
export function oneHotFloat(ids: ArrayLike<number>, depth: number): tf.Tensor2D {
  const out = new Float32Array(ids.length * depth);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= depth) throw new Error(`oneHotFloat: id ${id} at row ${i} outside [0, ${depth})`);
    out[i * depth + id] = 1;
  }
  return tf.tensor2d(out, [ids.length, depth]);
}

import type * as tf from '@tensorflow/tfjs-core';

/** Throws `${op}: ${arg} must be …; got …` unless the tensor has the expected rank and dtype. */
export function checkTensor(op: string, arg: string, t: tf.Tensor | undefined, rank: number, dtype: tf.DataType): void {
  if (t == null || typeof (t as { shape?: unknown }).shape !== 'object') throw new Error(`${op}: ${arg} must be a ${dtype} tensor of rank ${rank}; got ${t === null ? 'null' : typeof t}`);
  if (t.rank !== rank) throw new Error(`${op}: ${arg} must have rank ${rank}; got rank ${t.rank} (shape [${t.shape}])`);
  if (t.dtype !== dtype) throw new Error(`${op}: ${arg} must be ${dtype}; got ${t.dtype}`);
}

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInteger(op: string, arg: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${op}: ${arg} must be an integer ≥ ${min}; got ${String(value)}`);
  }
}

/** Throws unless dimension `dim` of `t` equals `expected`. */
export function checkDim(op: string, arg: string, t: tf.Tensor, dim: number, expected: number, what: string): void {
  if (t.shape[dim] !== expected) throw new Error(`${op}: ${arg} dimension ${dim} must be ${expected} (${what}); got shape [${t.shape}]`);
}

import type * as tf from '@tensorflow/tfjs-core';

/** Throws `${owner}: ${field} must be an integer ≥ min; got …`. */
export function checkInt(owner: string, field: string, value: unknown, min = 1): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${owner}: ${field} must be an integer ≥ ${min}; got ${JSON.stringify(value)}`);
  }
}

/** Throws unless `value` is a finite number in [min, max]. */
export function checkNumber(owner: string, field: string, value: unknown, min = -Infinity, max = Infinity): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${owner}: ${field} must be a finite number in [${min}, ${max}]; got ${JSON.stringify(value)}`);
  }
}

/** Throws unless `x` is float32 of the given rank whose last dimension is `lastDim`. */
export function checkInput(owner: string, arg: string, x: tf.Tensor, ranks: number[], lastDim: number): void {
  if (x == null || !Array.isArray((x as { shape?: unknown }).shape)) throw new Error(`${owner}: ${arg} must be a tensor; got ${String(x)}`);
  if (!ranks.includes(x.rank)) throw new Error(`${owner}: ${arg} must have rank ${ranks.join(' or ')}; got shape [${x.shape}]`);
  if (x.shape[x.rank - 1] !== lastDim) throw new Error(`${owner}: ${arg} last dimension must be ${lastDim}; got shape [${x.shape}]`);
  if (x.dtype !== 'float32') throw new Error(`${owner}: ${arg} must be float32; got ${x.dtype}`);
}

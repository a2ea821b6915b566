import type * as tf from '@tensorflow/tfjs-core';

/**
 * Argument checks shared by the routers. Every message names the owner (router kind), the field, what was
 * expected and what was got, so a bad config read from JSON fails where it is built, not deep in a kernel.
 */

export function checkInt(owner: string, field: string, value: unknown, min = 1, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new Error(`${owner}: ${field} must be an integer ${range}; got ${JSON.stringify(value)}`);
  }
}

export function checkNumber(owner: string, field: string, value: unknown, min = -Infinity, max = Infinity, exclusiveMin = false): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (exclusiveMin ? value <= min : value < min) || value > max) {
    const lo = Number.isFinite(min) ? `${exclusiveMin ? '(' : '['}${min}` : '(-∞';
    const hi = Number.isFinite(max) ? `${max}]` : '∞)';
    throw new Error(`${owner}: ${field} must be a finite number in ${lo}, ${hi}; got ${JSON.stringify(value)}`);
  }
}

export function checkBoolean(owner: string, field: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new Error(`${owner}: ${field} must be a boolean; got ${JSON.stringify(value)}`);
}

export function checkOneOf<T extends string>(owner: string, field: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`${owner}: ${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${JSON.stringify(value)}`);
  }
}

export function checkIntArray(owner: string, field: string, value: unknown, min = 1): asserts value is number[] {
  if (!Array.isArray(value)) throw new Error(`${owner}: ${field} must be an array of integers ≥ ${min}; got ${JSON.stringify(value)}`);
  value.forEach((v, i) => checkInt(owner, `${field}[${i}]`, v, min));
}

/** Throws unless `x` is a float32 matrix [T, dim] with T ≥ 1. */
export function checkTokens(owner: string, arg: string, x: tf.Tensor, dim: number): void {
  if (x == null || !Array.isArray((x as { shape?: unknown }).shape)) throw new Error(`${owner}: ${arg} must be a tensor; got ${String(x)}`);
  if (x.rank !== 2 || x.shape[1] !== dim || x.shape[0] < 1) {
    throw new Error(`${owner}: ${arg} must have shape [T ≥ 1, ${dim}]; got [${x.shape}]`);
  }
  if (x.dtype !== 'float32') throw new Error(`${owner}: ${arg} must be float32; got ${x.dtype}`);
}

/** Rejects keys a config does not know, so a misspelt option is an error rather than silently ignored. */
export function checkKnownKeys(owner: string, config: object, known: readonly string[]): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`${owner}: unknown config field(s) ${unknown.map((k) => `'${k}'`).join(', ')}; expected some of ${known.join(', ')}`);
}

import type * as tf from '@tensorflow/tfjs-core';
import { checkConfigFields } from '../config/config-fields.js';
import { MoeConfigError, MoeInputError } from '../errors/moe-error.js';

/**
 * Argument checks shared by the routers. Every message names the owner (router kind), the field, what was
 * expected and what was got, so a bad config read from JSON fails where it is built, not deep in a kernel.
 */

export function checkInt(owner: string, field: string, value: unknown, min = 1, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new MoeConfigError('invalid_field', owner, `${owner}: ${field} must be an integer ${range}; got ${JSON.stringify(value)}`, field);
  }
}

export function checkNumber(owner: string, field: string, value: unknown, min = -Infinity, max = Infinity, exclusiveMin = false): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (exclusiveMin ? value <= min : value < min) || value > max) {
    const lo = Number.isFinite(min) ? `${exclusiveMin ? '(' : '['}${min}` : '(-∞';
    const hi = Number.isFinite(max) ? `${max}]` : '∞)';
    throw new MoeConfigError('invalid_field', owner, `${owner}: ${field} must be a finite number in ${lo}, ${hi}; got ${JSON.stringify(value)}`, field);
  }
}

export function checkBoolean(owner: string, field: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new MoeConfigError('invalid_field', owner, `${owner}: ${field} must be a boolean; got ${JSON.stringify(value)}`, field);
}

export function checkOneOf<T extends string>(owner: string, field: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new MoeConfigError('invalid_field', owner, `${owner}: ${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${JSON.stringify(value)}`, field);
  }
}

export function checkIntArray(owner: string, field: string, value: unknown, min = 1): asserts value is number[] {
  if (!Array.isArray(value)) throw new MoeConfigError('invalid_field', owner, `${owner}: ${field} must be an array of integers ≥ ${min}; got ${JSON.stringify(value)}`, field);
  value.forEach((v, i) => checkInt(owner, `${field}[${i}]`, v, min));
}

/** Throws unless `x` is a float32 matrix [T, dim] with T ≥ 1. */
export function checkTokens(owner: string, arg: string, x: tf.Tensor, dim: number): void {
  if (x == null || !Array.isArray((x as { shape?: unknown }).shape)) throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} must be a tensor; got ${String(x)}`, arg);
  if (x.rank !== 2 || x.shape[1] !== dim || x.shape[0] < 1) {
    throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} must have shape [T ≥ 1, ${dim}]; got [${x.shape}]`, arg);
  }
  if (x.dtype !== 'float32') throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} must be float32; got ${x.dtype}`, arg);
}

/** Throws unless `mask` is undefined or a float32 [T] tensor (RouteOptions.tokenMask). */
export function checkRouteMask(owner: string, mask: tf.Tensor | undefined, numTokens: number): void {
  if (mask === undefined) return;
  if (mask == null || !Array.isArray((mask as { shape?: unknown }).shape)) throw new Error(`${owner}: options.tokenMask must be a tensor; got ${String(mask)}`);
  if (mask.rank !== 1 || mask.shape[0] !== numTokens || mask.dtype !== 'float32') {
    throw new Error(`${owner}: options.tokenMask must be a float32 tensor of shape [${numTokens}] (1 = real token, 0 = padding); got ${mask.dtype} [${mask.shape}]`);
  }
}

/** Rejects keys a config does not know, so a misspelt option is an error rather than silently ignored. */
export function checkKnownKeys(owner: string, config: object, known: readonly string[]): void {
  checkConfigFields(owner, config, known);
}

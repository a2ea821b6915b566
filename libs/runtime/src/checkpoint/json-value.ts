import { CheckpointError } from './checkpoint-error.js';

/** A value that survives JSON.stringify/parse unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Throws naming the path of the first value JSON would silently drop or change (undefined, functions,
 * NaN/Infinity, class instances such as tensors or Dates), so a config cannot lose fields on save.
 */
export function assertJsonValue(value: unknown, path: string): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(path, `a finite number, got ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJsonValue(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw invalid(path, `a plain object, got an instance of ${(value as object).constructor?.name ?? 'unknown class'}`);
    }
    for (const [k, v] of Object.entries(value)) assertJsonValue(v, `${path}.${k}`);
    return;
  }
  throw invalid(path, `a JSON value, got ${typeof value}`);
}

function invalid(path: string, expected: string): CheckpointError {
  return new CheckpointError('invalid_argument', `${path}: expected ${expected}`);
}

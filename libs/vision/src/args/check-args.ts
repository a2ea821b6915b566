/**
 * Argument checks for the vision library. Every message names the function, the argument, what was
 * expected and what was got, so a bad call fails where it is made rather than as a wrong picture later.
 */

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value === 'object' ? `object with keys [${Object.keys(value as object).slice(0, 8).join(', ')}]` : typeof value;
}

/** Throws a TypeError `fn(): arg must be <expected>; got <value>`. */
export function argError(fn: string, arg: string, expected: string, got: unknown): TypeError {
  return new TypeError(`${fn}(): ${arg} must be ${expected}; got ${show(got)}`);
}

export function checkInt(fn: string, arg: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw argError(fn, arg, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, value);
  }
}

export function checkNumber(fn: string, arg: string, value: unknown, min = -Infinity, max = Infinity): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const lo = Number.isFinite(min) ? `[${min}` : '(-∞';
    const hi = Number.isFinite(max) ? `${max}]` : '∞)';
    throw argError(fn, arg, `a finite number in ${lo}, ${hi}`, value);
  }
}

/** A `[lo, hi]` pair with min ≤ lo ≤ hi ≤ max (parameter ranges such as the artefacts' intensity). */
export function checkRange(fn: string, arg: string, value: unknown, min = -Infinity, max = Infinity): asserts value is readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || value[0] > value[1] || value[0] < min || value[1] > max) {
    throw argError(fn, arg, `a [lo, hi] pair of finite numbers with ${min} ≤ lo ≤ hi ≤ ${max}`, Array.isArray(value) ? `[${value.join(', ')}]` : value);
  }
}

export function checkOneOf<T extends string | number>(fn: string, arg: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) throw argError(fn, arg, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
}

export function checkBytes(fn: string, arg: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw argError(fn, arg, 'a Uint8Array or Buffer of file bytes', value);
}

/** Rejects keys an options object does not know (a typo such as `maxPixel` must not be silently ignored). */
export function checkKnownKeys(fn: string, arg: string, value: object | undefined, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw argError(fn, arg, 'an options object', value);
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`${fn}(): ${arg} has unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; known: ${known.join(', ')}`);
}

/** Argument checks shared by the backbone modules (one message format: owner, argument, expected, got). */
export function checkPositiveInt(owner: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${owner}: ${arg} must be a positive integer; got ${String(value)}`);
  return value;
}

export function checkFinite(owner: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${owner}: ${arg} must be a finite number; got ${String(value)}`);
  return value;
}

/** Throws unless `shape` has the given rank and, where `expected[i]` is a number, that extent. */
export function checkShape(owner: string, arg: string, shape: readonly number[], expected: readonly (number | null)[], dtype?: string, wantDtype = 'float32'): void {
  const ok = shape.length === expected.length && expected.every((e, i) => e === null || shape[i] === e);
  const want = `[${expected.map((e) => (e === null ? '·' : e)).join(', ')}]`;
  if (!ok) throw new Error(`${owner}: ${arg} must have shape ${want}; got [${shape.join(', ')}]`);
  if (dtype !== undefined && dtype !== wantDtype) throw new Error(`${owner}: ${arg} must be ${wantDtype}; got ${dtype}`);
}

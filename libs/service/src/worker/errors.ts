/** Thrown by a handler's `decode` (or a source) for an event that can never be applied; it is dead-lettered. */
export class MalformedEventError extends Error {
  constructor(
    message: string,
    /** The field (or CSV column) at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

/** Bad worker configuration: names the option, what was expected and what was got. */
export class WorkerConfigError extends Error {
  constructor(option: string, expected: string, got: unknown) {
    super(`worker option ${option}: expected ${expected}, got ${describe(got)}`);
    this.name = 'WorkerConfigError';
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}

/** Checks a positive integer option. */
export function positiveInt(option: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new WorkerConfigError(option, 'a positive integer', v);
  return v;
}

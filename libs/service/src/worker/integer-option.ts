/**
 * A command-line integer option (`--name <n>`) of a worker or CLI: `fallback` when absent, else an integer ≥
 * `min`; anything else throws a RangeError naming the option and what was got.
 */
export function integerOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`--${name}: expected an integer ≥ ${min}, got '${raw}'`);
  return v;
}

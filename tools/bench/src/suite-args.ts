/** Command-line helpers shared by the bench suites (`npm run bench -- <suite> --name value …`). */

/** The value after `--name`, or undefined when the option is absent. */
export function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `--seeds` as `1-10`, `1,2,5` or a mix (`1-3,7`); `fallback` when absent. */
export function parseSeedList(v: string | undefined, fallback: number[]): number[] {
  if (!v) return fallback;
  return v.split(',').flatMap((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part);
    if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
    if (!/^\d+$/.test(part)) throw new RangeError(`--seeds: expected e.g. 1-10 or 1,2,5, got '${v}'`);
    return [Number(part)];
  });
}

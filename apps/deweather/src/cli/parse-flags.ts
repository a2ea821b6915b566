/** `--name value` flags of one command; unknown flags and missing values are errors naming the flag. */
export function parseFlags(args: readonly string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}' (flags are --name value)`);
    const name = a.slice(2);
    if (!known.includes(name)) throw new Error(`unknown flag --${name}; expected one of ${known.map((k) => `--${k}`).join(', ')}`);
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
    out.set(name, v);
    i++;
  }
  return out;
}

export function intFlag(flags: Map<string, string>, name: string, fallback: number, min = 0): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}; got '${v}'`);
  return n;
}

export function requiredFlag(flags: Map<string, string>, name: string): string {
  const v = flags.get(name);
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
}

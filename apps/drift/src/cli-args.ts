import { isMethod, METHODS, type Method } from './model/methods.js';

export interface RunArgs {
  method: Method;
  stream?: string;
  arff?: string;
  csv?: string;
  classAttribute?: string;
  seed: number;
  n: number;
  window: number;
  progressEvery: number;
  curveEvery: number;
}

export const USAGE = `usage: drift run (--stream sea|sea_a|sea_g|led|led_a|led_g|rbf|rbf_m|rbf_f | --arff FILE | --csv FILE)
                 [--method ${METHODS.join('|')}] [--seed 1] [--n 100000] [--class NAME]
                 [--window 1000] [--progress-every 10000] [--curve-every 0]
  Runs test-then-train; progress on stderr, a JSON summary on stdout.`;

function intFlag(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`--${name}: expected an integer ≥ ${min}, got '${raw}'`);
  return v;
}

/** Parses `run …` arguments; throws a RangeError naming the flag on bad input. */
export function parseRunArgs(argv: string[]): RunArgs {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new RangeError(`unexpected argument '${a}' (flags are --name value)`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new RangeError(`${a}: expected a value`);
    flags.set(a.slice(2), v);
    i++;
  }
  const known = ['stream', 'arff', 'csv', 'class', 'method', 'seed', 'n', 'window', 'progress-every', 'curve-every'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new RangeError(`unknown flag --${k} (expected one of ${known.map((f) => `--${f}`).join(', ')})`);
  const sources = ['stream', 'arff', 'csv'].filter((k) => flags.has(k));
  if (sources.length !== 1) throw new RangeError(`expected exactly one of --stream, --arff, --csv, got ${sources.length === 0 ? 'none' : sources.map((s) => `--${s}`).join(' and ')}`);
  const method = flags.get('method') ?? 'driftmoe-data';
  if (!isMethod(method)) throw new RangeError(`--method: expected one of ${METHODS.join(', ')}, got '${method}'`);
  return {
    method,
    stream: flags.get('stream'),
    arff: flags.get('arff'),
    csv: flags.get('csv'),
    classAttribute: flags.get('class'),
    seed: intFlag('seed', flags.get('seed'), 1, 0),
    n: intFlag('n', flags.get('n'), 100_000, 1),
    window: intFlag('window', flags.get('window'), 1000, 1),
    progressEvery: intFlag('progress-every', flags.get('progress-every'), 10_000, 0),
    curveEvery: intFlag('curve-every', flags.get('curve-every'), 0, 0),
  };
}

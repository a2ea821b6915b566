import { parseSyntheticConfig, type SyntheticConfigInput } from '../data/synthetic-config.js';
import { SETTINGS, type Setting } from './settings.js';

/**
 * Command-line options of the CTR benchmark (`npm run bench -- ctr …`), validated once by the suite and passed
 * to every cell as JSON. Defaults reproduce the published 30k-row table exactly (its cached cells stay valid).
 */
export interface BenchOptions {
  quick: boolean;
  rows: number;
  seeds: number[];
  settings: Setting['id'][];
  /** Variant ids (`Variant.id`) to run; empty = every variant of each setting. */
  models: string[];
  /** Upper bound on epochs; early stopping on validation logloss (patience) decides the epochs used. */
  epochsMax: number;
  patience: number;
  /** Dataset seed = 1000 + offset + seed, so an offset gives fresh datasets for the same seed numbers. */
  genSeedOffset: number;
  /** Generator knob overrides applied to every selected setting (canonical knob names). */
  knobs: Partial<Record<Knob, number | [number, number]>>;
}

/** Generator knobs settable from the command line: ctr.md §4.2 names (δ, κ, ξ, …) and the generator's own. */
const KNOB_ALIASES = {
  delta: 'domainSignal',
  kappa: 'clusterSignal',
  xi: 'xi',
  s: 'sharedSignal',
  domains: 'numDomains',
  clusters: 'numClusters',
  zipf: 'zipfExponent',
  rhoD: 'rhoDomain',
  rhoZ: 'rhoCluster',
  noise: 'noise',
} as const;
const KNOBS = [
  'numDomains', 'zipfExponent', 'numClusters', 'xi', 'numUsers', 'numItems', 'numCategories', 'latentDim', 'seqLen',
  'sharedSignal', 'domainSignal', 'clusterSignal', 'taskSignal', 'rhoDomain', 'rhoCluster', 'rhoTask', 'noise', 'baseCtr',
] as const;
export type Knob = (typeof KNOBS)[number];

export const DEFAULT_EPOCHS_MAX = 4;
export const DEFAULT_PATIENCE = 1;
const defaultRows = (quick: boolean) => (quick ? 8000 : 30000);
const defaultSeeds = (quick: boolean) => (quick ? 2 : 5);

function value(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new RangeError(`${name}: expected a value after it`);
  return v;
}

function positiveInt(raw: string, name: string, min = 1): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new RangeError(`${name}: expected an integer ≥ ${min}, got '${raw}'`);
  return Number(raw);
}

/** `5` → seeds 1..5; `3-7` → 3..7; `1,4,9` → those. */
export function parseSeeds(raw: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(raw);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (a < 1 || b < a) throw new RangeError(`--seeds: expected a range a-b with 1 ≤ a ≤ b, got '${raw}'`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  if (/^\d+$/.test(raw)) return Array.from({ length: positiveInt(raw, '--seeds') }, (_, i) => i + 1);
  const list = raw.split(',').map((p) => positiveInt(p.trim(), '--seeds'));
  if (new Set(list).size !== list.length) throw new RangeError(`--seeds: duplicate seed in '${raw}'`);
  return list;
}

/** `delta=1.5,xi=0.8,baseCtr=0.05:0.01` → canonical knob overrides (range checks happen against each setting). */
export function parseKnobs(raw: string | undefined): BenchOptions['knobs'] {
  const out: BenchOptions['knobs'] = {};
  if (raw === undefined || raw.trim() === '') return out;
  for (const part of raw.split(',')) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(part.trim());
    if (!m) throw new RangeError(`--knobs: expected name=value, got '${part}'`);
    const name = (KNOB_ALIASES[m[1] as keyof typeof KNOB_ALIASES] ?? m[1]) as Knob;
    if (!KNOBS.includes(name)) throw new RangeError(`--knobs: unknown knob '${m[1]}' (known: ${[...KNOBS, ...Object.keys(KNOB_ALIASES)].join(', ')})`);
    if (name in out) throw new RangeError(`--knobs: knob '${m[1]}' given twice`);
    const nums = m[2].split(':').map(Number);
    if (nums.some((x) => !Number.isFinite(x)) || nums.length !== (name === 'baseCtr' ? 2 : 1)) {
      throw new RangeError(`--knobs: ${m[1]} expected ${name === 'baseCtr' ? 'head:tail, e.g. 0.1:0.03' : 'a number'}, got '${m[2]}'`);
    }
    out[name] = name === 'baseCtr' ? [nums[0], nums[1]] : nums[0];
  }
  return out;
}

/**
 * The generator config of a setting under the knob overrides, rejecting overrides that leave the setting's
 * regime (its expectation would not apply any more) or the generator's valid range — errors name the knob.
 */
export function settingGenerator(setting: Setting, knobs: BenchOptions['knobs']): Omit<SyntheticConfigInput, 'rows' | 'seed'> {
  const gen = { ...setting.generator, ...knobs } as Omit<SyntheticConfigInput, 'rows' | 'seed'>;
  try {
    parseSyntheticConfig({ ...gen, rows: 1 });
  } catch (e) {
    throw new RangeError(`--knobs for setting '${setting.id}': ${(e as Error).message.replace(/\n\s*/g, ' ')}`);
  }
  const delta = gen.domainSignal ?? 0;
  const kappa = gen.clusterSignal ?? 0;
  const regime: Record<Setting['id'], [boolean, string]> = {
    null: [delta === 0 && kappa === 0, 'δ = κ = 0 (delta, kappa)'],
    domain: [delta > 0 && kappa === 0, 'δ > 0 and κ = 0 (delta, kappa)'],
    cluster: [kappa > 0 && delta === 0 && (gen.xi ?? 0.5) >= 0.9, 'κ > 0, δ = 0 and ξ → 1, here ξ ≥ 0.9 (kappa, delta, xi)'],
    'sparse-tasks': [true, ''],
  };
  const [ok, rule] = regime[setting.id];
  if (!ok) throw new RangeError(`--knobs for setting '${setting.id}': its expectation needs ${rule}; got δ = ${delta}, κ = ${kappa}, ξ = ${gen.xi ?? 0.5}`);
  return gen;
}

const VALUE_FLAGS = ['--rows', '--seeds', '--settings', '--models', '--epochs-max', '--patience', '--gen-seed-offset', '--knobs'];

export function parseBenchOptions(args: readonly string[], quick: boolean): BenchOptions {
  args.forEach((a, i) => {
    if (a === '--quick' || VALUE_FLAGS.includes(args[i - 1] ?? '')) return;
    if (!VALUE_FLAGS.includes(a)) throw new RangeError(`ctr bench: unknown option '${a}' (known: --quick, ${VALUE_FLAGS.join(', ')})`);
  });
  const settings = (value(args, '--settings') ?? SETTINGS.map((s) => s.id).join(',')).split(',') as Setting['id'][];
  const unknown = settings.filter((s) => !SETTINGS.some((x) => x.id === s));
  if (unknown.length) throw new RangeError(`--settings: unknown ${unknown.join(', ')} (known: ${SETTINGS.map((s) => s.id).join(', ')})`);
  const models = value(args, '--models')?.split(',').map((m) => m.trim()) ?? [];
  const chosen = SETTINGS.filter((s) => settings.includes(s.id));
  const known = new Set(chosen.flatMap((s) => s.variants.map((v) => v.id)));
  const badModels = models.filter((m) => !known.has(m));
  if (badModels.length) throw new RangeError(`--models: unknown ${badModels.join(', ')} for settings ${settings.join(', ')} (known: ${[...known].join(', ')})`);
  for (const s of chosen) if (models.length && !s.variants.some((v) => models.includes(v.id))) throw new RangeError(`--models: none of ${models.join(', ')} is a variant of setting '${s.id}'`);
  const options: BenchOptions = {
    quick,
    rows: value(args, '--rows') === undefined ? defaultRows(quick) : positiveInt(value(args, '--rows')!, '--rows', 100),
    seeds: value(args, '--seeds') === undefined ? parseSeeds(String(defaultSeeds(quick))) : parseSeeds(value(args, '--seeds')!),
    settings,
    models,
    epochsMax: value(args, '--epochs-max') === undefined ? DEFAULT_EPOCHS_MAX : positiveInt(value(args, '--epochs-max')!, '--epochs-max'),
    patience: value(args, '--patience') === undefined ? DEFAULT_PATIENCE : positiveInt(value(args, '--patience')!, '--patience'),
    genSeedOffset: value(args, '--gen-seed-offset') === undefined ? 0 : positiveInt(value(args, '--gen-seed-offset')!, '--gen-seed-offset', 0),
    knobs: parseKnobs(value(args, '--knobs')),
  };
  for (const s of chosen) settingGenerator(s, options.knobs);
  return options;
}

/** Variants of a setting that the options select. */
export function selectedVariants(setting: Setting, options: Pick<BenchOptions, 'models'>): Setting['variants'] {
  return options.models.length ? setting.variants.filter((v) => options.models.includes(v.id)) : setting.variants;
}

/**
 * Cache key of everything that changes a cell's numbers except the model list (cells are cached per variant):
 * '' for the published defaults, so their cells stay where they always were.
 */
export function cellTag(o: BenchOptions): string {
  const parts: string[] = [];
  if (o.rows !== defaultRows(o.quick)) parts.push(`rows${o.rows}`);
  if (o.epochsMax !== DEFAULT_EPOCHS_MAX || o.patience !== DEFAULT_PATIENCE) parts.push(`ep${o.epochsMax}p${o.patience}`);
  if (o.genSeedOffset !== 0) parts.push(`gen${o.genSeedOffset}`);
  const knobs = Object.entries(o.knobs).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(':') : v}`).sort();
  if (knobs.length) parts.push(knobs.join(','));
  return parts.join('-').replace(/[^A-Za-z0-9.=:,-]+/g, '_');
}

/** Whether the options reproduce the whole published table (all settings, models and default seeds, no knobs). */
export function isPublishedTable(o: BenchOptions): boolean {
  return cellTag(o) === '' && o.models.length === 0 && o.settings.length === SETTINGS.length && o.seeds.join(',') === parseSeeds(String(defaultSeeds(o.quick))).join(',');
}

/** The options that make a run a held-out (or resized) variant of the published table, in words. */
export function describeOptions(o: BenchOptions): string {
  const knobs = Object.entries(o.knobs).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(':') : v}`);
  return [
    `${o.rows.toLocaleString('en')} rows`,
    `seeds ${o.seeds.join(', ')}`,
    `≤ ${o.epochsMax} epochs (patience ${o.patience})`,
    o.genSeedOffset ? `dataset seeds 1000 + ${o.genSeedOffset} + seed` : 'dataset seeds 1000 + seed',
    knobs.length ? `generator knobs ${knobs.join(', ')}` : 'published generator settings',
  ].join('; ');
}

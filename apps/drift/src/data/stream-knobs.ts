/**
 * Generator settings that can be changed from the command line, so the drift table can be produced on
 * streams nobody tuned on (held-out seeds, other noise, other drift speeds). Empty knobs = the paper's
 * streams exactly. Each knob names the MOA option it sets.
 */
export interface StreamKnobs {
  /** The streams' instance (and RBF model) seed is `seed + streamSeedOffset`; learners keep `seed`. */
  streamSeedOffset?: number;
  /** SEA `-p` / LED `-n`, percent of labels (SEA) or attribute bits (LED) flipped (paper: 10). */
  noise?: number;
  /** ConceptDriftStream `-w` of every drift (paper: 50 abrupt, 50,000 gradual). */
  driftWidth?: number;
  /** ConceptDriftStream `-r`, the seed of the drift mixing (paper: 1). */
  driftSeed?: number;
  /** RandomRBF `-n` (paper: 50). */
  centroids?: number;
  /** RandomRBFGeneratorDrift `-k` (paper: 50). */
  driftCentroids?: number;
  /** RandomRBFGeneratorDrift `-s`; overrides rbf_m's 1e-4 and rbf_f's 1e-3. */
  speed?: number;
}

type KnobName = keyof StreamKnobs;

const KNOBS: Record<KnobName, { integer: boolean; min: number; max: number }> = {
  streamSeedOffset: { integer: true, min: 0, max: 1e9 },
  noise: { integer: true, min: 0, max: 100 },
  driftWidth: { integer: true, min: 1, max: 1e9 },
  driftSeed: { integer: true, min: 0, max: 2 ** 31 - 1 },
  centroids: { integer: true, min: 1, max: 10_000 },
  driftCentroids: { integer: true, min: 0, max: 10_000 },
  speed: { integer: false, min: 0, max: 1 },
};

export const KNOB_NAMES = Object.keys(KNOBS) as KnobName[];

/** Parses `name=value,name=value` (the `--knobs` option); throws naming the knob that is wrong. */
export function parseStreamKnobs(text: string | undefined): StreamKnobs {
  const out: StreamKnobs = {};
  if (text === undefined || text.trim() === '') return out;
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*([^\s]+)\s*$/.exec(part);
    if (!m) throw new RangeError(`--knobs: expected name=value pairs separated by commas, got '${part}'`);
    const [, name, raw] = m;
    if (!(name in KNOBS)) throw new RangeError(`--knobs: unknown knob '${name}'; expected one of ${KNOB_NAMES.join(', ')}`);
    const spec = KNOBS[name as KnobName];
    const v = Number(raw);
    if (!Number.isFinite(v) || (spec.integer && !Number.isInteger(v)) || v < spec.min || v > spec.max) {
      throw new RangeError(`--knobs: ${name} expected ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}], got '${raw}'`);
    }
    out[name as KnobName] = v;
  }
  return out;
}

/** A short stable tag for file names and tables: '' for the paper's settings. */
export function knobsTag(k: StreamKnobs): string {
  return KNOB_NAMES.filter((n) => k[n] !== undefined)
    .map((n) => `${n}=${k[n]}`)
    .join(',');
}

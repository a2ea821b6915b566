import type { RawRow, RawValue } from '../data/raw-row.js';
import type { EncodedBatch, EncodedLayout } from './encoded-batch.js';
import { parseFeatureConfig, type FeatureConfig, type CategoricalFeatureSpec, type SequenceFeatureSpec, type NumericFeatureSpec } from './feature-config.js';
import { fnv1a } from './hash.js';

/** A fitted vocabulary: id 0 = out-of-vocabulary (and missing), values → 1..n; or hash buckets 0..n−1. */
type FittedVocab = { kind: 'build'; values: string[] } | { kind: 'hash'; numBuckets: number };
interface FittedScaler { log: boolean; center: number; scale: number }

/** Everything needed to rebuild an identical processor (saved inside every model artefact). */
export interface FeatureProcessorState {
  version: 1;
  config: FeatureConfig;
  domains: string[];
  vocabs: Record<string, FittedVocab>;
  scalers: Record<string, FittedScaler>;
}

export interface TransformOptions {
  /**
   * Serving mode: every feature field and the domain must be present with the right type (errors name the
   * row and field). Off for training files, where missing values take the OOV id or `fillNa`.
   */
  strict?: boolean;
  /** Require every task label (training); otherwise missing labels become NaN. */
  requireLabels?: boolean;
}

/** Bad input in one row: which row and which raw field, so a service can answer 400 naming it. */
export class FeatureInputError extends Error {
  override readonly name = 'FeatureInputError';
  constructor(readonly row: number, readonly field: string, message: string) {
    super(message);
  }
}

const sourceOf = (f: { name: string; source?: string }) => f.source ?? f.name;

function describe(v: RawValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function isMissing(v: RawValue): boolean {
  return v === undefined || v === null || v === '';
}

/**
 * Turns raw rows into {@link EncodedBatch}es. `fit` learns vocabularies, the domain list and numeric scalers
 * from the rows it is given — callers pass the training split only, so validation/test statistics never leak.
 */
export class FeatureProcessor {
  readonly config: FeatureConfig;
  readonly domains: string[];
  readonly layout: EncodedLayout;
  private readonly vocabs: Record<string, FittedVocab>;
  private readonly scalers: Record<string, FittedScaler>;
  private readonly domainIndex: Map<string, number>;
  private readonly vocabIndex = new Map<string, Map<string, number>>();
  /** Start row of each embedded field's block in the concatenated table (domain block first). */
  private readonly offsets = new Map<string, number>();
  private readonly categoricals: CategoricalFeatureSpec[];
  private readonly sequences: SequenceFeatureSpec[];
  private readonly numerics: NumericFeatureSpec[];

  private constructor(state: FeatureProcessorState) {
    this.config = state.config;
    this.domains = state.domains;
    this.vocabs = state.vocabs;
    this.scalers = state.scalers;
    this.domainIndex = new Map(state.domains.map((d, i) => [d, i]));
    this.categoricals = this.config.features.filter((f): f is CategoricalFeatureSpec => f.type === 'categorical');
    this.sequences = this.config.features.filter((f): f is SequenceFeatureSpec => f.type === 'sequence');
    this.numerics = this.config.features.filter((f): f is NumericFeatureSpec => f.type === 'numeric');
    let rows = 0;
    this.offsets.set('__domain__', 0);
    rows += state.domains.length;
    for (const f of [...this.categoricals, ...this.sequences]) {
      const v = this.vocabs[f.name];
      if (!v) throw new Error(`feature processor state: no vocabulary for feature '${f.name}'`);
      if (v.kind === 'build') this.vocabIndex.set(f.name, new Map(v.values.map((x, i) => [x, i + 1])));
      this.offsets.set(f.name, rows);
      rows += v.kind === 'build' ? v.values.length + 1 : v.numBuckets;
    }
    let seqOffset = 0;
    const taskNames = this.config.tasks.map((t) => t.name);
    this.layout = {
      numFields: 1 + this.categoricals.length,
      sequences: this.sequences.map((s) => {
        const out = { name: s.name, offset: seqOffset, maxLen: s.maxLen, pooling: s.pooling };
        seqOffset += s.maxLen;
        return out;
      }),
      seqWidth: seqOffset,
      numDense: this.numerics.length,
      numDomains: state.domains.length,
      tableRows: rows,
      embeddingDim: this.config.embeddingDim,
      tasks: this.config.tasks.map((t) => ({ name: t.name, chainOf: t.chainOf === undefined ? -1 : taskNames.indexOf(t.chainOf), category: t.category, weight: t.weight })),
    };
  }

  /** Fits on the training rows only (vocabularies with minCount/maxVocab, domain list, scalers). */
  static fit(configInput: unknown, trainRows: Iterable<RawRow>): FeatureProcessor {
    const config = parseFeatureConfig(configInput);
    const counts = new Map<string, Map<string, number>>();
    const vocabFeatures = config.features.filter((f): f is CategoricalFeatureSpec | SequenceFeatureSpec => f.type !== 'numeric');
    for (const f of vocabFeatures) if (f.vocab === 'build') counts.set(f.name, new Map());
    const moments = new Map<string, { n: number; sum: number; sumSq: number; min: number; max: number }>();
    const numerics = config.features.filter((f): f is NumericFeatureSpec => f.type === 'numeric');
    for (const f of numerics) moments.set(f.name, { n: 0, sum: 0, sumSq: 0, min: Infinity, max: -Infinity });
    const domainCounts = new Map<string, number>();
    let n = 0;
    for (const row of trainRows) {
      n++;
      const d = row[config.domain.field];
      if (!isMissing(d)) domainCounts.set(String(d), (domainCounts.get(String(d)) ?? 0) + 1);
      for (const f of vocabFeatures) {
        const c = counts.get(f.name);
        if (!c) continue;
        const raw = row[sourceOf(f)];
        const tokens = f.type === 'sequence' ? tokensOf(raw, f.splitter) : isMissing(raw) ? [] : [String(raw)];
        for (const t of tokens) c.set(t, (c.get(t) ?? 0) + 1);
      }
      for (const f of numerics) {
        const raw = row[sourceOf(f)];
        const x = numericValue(raw, f.fillNa, f.normalizer === 'log-standard');
        const m = moments.get(f.name)!;
        m.n++;
        m.sum += x;
        m.sumSq += x * x;
        m.min = Math.min(m.min, x);
        m.max = Math.max(m.max, x);
      }
    }
    if (n === 0) throw new Error('FeatureProcessor.fit: the training split is empty');
    const vocabs: Record<string, FittedVocab> = {};
    for (const f of vocabFeatures) {
      if (f.vocab === 'hash') {
        vocabs[f.name] = { kind: 'hash', numBuckets: f.numBuckets! };
        continue;
      }
      const entries = [...counts.get(f.name)!].filter(([, c]) => c >= f.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      vocabs[f.name] = { kind: 'build', values: entries.slice(0, f.maxVocab ?? entries.length).map(([v]) => v) };
    }
    const scalers: Record<string, FittedScaler> = {};
    for (const f of numerics) {
      const m = moments.get(f.name)!;
      const mean = m.sum / m.n;
      const std = Math.sqrt(Math.max(0, m.sumSq / m.n - mean * mean));
      scalers[f.name] =
        f.normalizer === 'minmax'
          ? { log: false, center: m.min, scale: m.max > m.min ? m.max - m.min : 1 }
          : { log: f.normalizer === 'log-standard', center: mean, scale: std > 1e-12 ? std : 1 };
    }
    let domains = config.domain.values;
    if (!domains) {
      if (domainCounts.size === 0) throw new Error(`FeatureProcessor.fit: no training row has the domain field '${config.domain.field}'`);
      // Most frequent first, so domain 0 is the head domain; ties broken by name for determinism.
      domains = [...domainCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([d]) => d);
    }
    return new FeatureProcessor({ version: 1, config, domains, vocabs, scalers });
  }

  static fromJSON(state: FeatureProcessorState): FeatureProcessor {
    if (state?.version !== 1) throw new Error(`feature processor state: expected version 1, got ${String(state?.version)}`);
    return new FeatureProcessor({ ...state, config: parseFeatureConfig(state.config) });
  }

  toJSON(): FeatureProcessorState {
    return { version: 1, config: this.config, domains: this.domains, vocabs: this.vocabs, scalers: this.scalers };
  }

  /** Domain index of a raw domain value, or undefined when it was not seen in training. */
  domainId(value: string): number | undefined {
    return this.domainIndex.get(value);
  }

  /** Encodes rows; in strict mode the first bad row/field throws an error naming it. */
  transform(rows: readonly RawRow[], options: TransformOptions = {}): EncodedBatch {
    const { numFields, seqWidth, numDense } = this.layout;
    const size = rows.length;
    const fieldIds = new Int32Array(size * numFields);
    const seqIds = new Int32Array(size * seqWidth).fill(-1);
    const dense = new Float32Array(size * numDense);
    const domain = new Int32Array(size);
    const labels = this.config.tasks.map(() => new Float32Array(size));
    const groups = new Int32Array(size).fill(-1);
    const groupIndex = new Map<string, number>();
    const domainField = this.config.domain.field;
    for (let r = 0; r < size; r++) {
      const row = rows[r];
      const where = `row ${r}`;
      const dRaw = row[domainField];
      if (isMissing(dRaw) || (typeof dRaw !== 'string' && typeof dRaw !== 'number')) {
        throw new FeatureInputError(r, domainField, `${where}: domain field '${domainField}' ${isMissing(dRaw) ? 'is missing' : `expected a string, got ${describe(dRaw)}`}`);
      }
      const d = this.domainIndex.get(String(dRaw));
      if (d === undefined) throw new FeatureInputError(r, domainField, `${where}: unknown domain '${String(dRaw)}' in field '${domainField}' (known: ${this.domains.join(', ')})`);
      domain[r] = d;
      fieldIds[r * numFields] = d;
      this.categoricals.forEach((f, j) => {
        const raw = row[sourceOf(f)];
        if (options.strict) {
          if (raw === undefined) throw new FeatureInputError(r, sourceOf(f), `${where}: missing field '${sourceOf(f)}' (categorical feature '${f.name}')`);
          if (typeof raw !== 'string' && typeof raw !== 'number') throw new FeatureInputError(r, sourceOf(f), `${where}: field '${sourceOf(f)}' expected a string or number, got ${describe(raw)}`);
        }
        fieldIds[r * numFields + 1 + j] = this.offsets.get(f.name)! + this.idOf(f.name, isMissing(raw) || Array.isArray(raw) ? undefined : String(raw));
      });
      this.sequences.forEach((f, j) => {
        const raw = row[sourceOf(f)];
        if (options.strict) {
          if (raw === undefined) throw new FeatureInputError(r, sourceOf(f), `${where}: missing field '${sourceOf(f)}' (sequence feature '${f.name}')`);
          if (!Array.isArray(raw) && typeof raw !== 'string') throw new FeatureInputError(r, sourceOf(f), `${where}: field '${sourceOf(f)}' expected an array or a '${f.splitter}'-separated string, got ${describe(raw)}`);
        }
        // Keep the most recent maxLen items (sequences are ordered oldest → newest).
        const tokens = tokensOf(raw, f.splitter).slice(-f.maxLen);
        const base = r * seqWidth + this.layout.sequences[j].offset;
        const offset = this.offsets.get(f.name)!;
        tokens.forEach((t, k) => (seqIds[base + k] = offset + this.idOf(f.name, t)));
      });
      this.numerics.forEach((f, j) => {
        const raw = row[sourceOf(f)];
        if (options.strict) {
          if (raw === undefined || raw === null) throw new FeatureInputError(r, sourceOf(f), `${where}: missing field '${sourceOf(f)}' (numeric feature '${f.name}')`);
          if (typeof raw !== 'number' || !Number.isFinite(raw)) throw new FeatureInputError(r, sourceOf(f), `${where}: field '${sourceOf(f)}' expected a finite number, got ${describe(raw)}`);
        }
        const s = this.scalers[f.name];
        dense[r * numDense + j] = (numericValue(raw, f.fillNa, s.log) - s.center) / s.scale;
      });
      this.config.tasks.forEach((t, k) => {
        const raw = row[t.label];
        if (isMissing(raw)) {
          if (options.requireLabels) throw new FeatureInputError(r, t.label, `${where}: missing label '${t.label}' of task '${t.name}'`);
          labels[k][r] = Number.NaN;
          return;
        }
        const y = Number(raw);
        if (y !== 0 && y !== 1) throw new FeatureInputError(r, t.label, `${where}: label '${t.label}' expected 0 or 1, got ${describe(raw)}`);
        labels[k][r] = y;
      });
      if (this.config.groupField !== undefined) {
        const g = row[this.config.groupField];
        if (!isMissing(g)) {
          const key = String(g);
          let gi = groupIndex.get(key);
          if (gi === undefined) groupIndex.set(key, (gi = groupIndex.size));
          groups[r] = gi;
        }
      }
    }
    return { size, fieldIds, seqIds, dense, domain, labels, groups };
  }

  private idOf(feature: string, value: string | undefined): number {
    const v = this.vocabs[feature];
    if (v.kind === 'hash') return fnv1a(`${feature}\u0000${value ?? ''}`) % v.numBuckets;
    return value === undefined ? 0 : (this.vocabIndex.get(feature)!.get(value) ?? 0);
  }
}

function tokensOf(raw: RawValue, splitter: string): string[] {
  if (isMissing(raw)) return [];
  if (Array.isArray(raw)) return raw.map(String);
  return String(raw).split(splitter).filter((t) => t !== '');
}

function numericValue(raw: RawValue, fillNa: number, log: boolean): number {
  const x = isMissing(raw) ? fillNa : Number(raw);
  const v = Number.isFinite(x) ? x : fillNa;
  return log ? Math.log1p(Math.max(0, v)) : v;
}

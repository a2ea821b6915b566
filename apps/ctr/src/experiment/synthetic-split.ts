import type { RawRow } from '../data/raw-row.js';
import type { SyntheticConfigInput } from '../data/synthetic-config.js';
import { sampleStats, syntheticSource, type SyntheticDataset } from '../data/synthetic-generator.js';
import type { EncodedBatch } from '../features/encoded-batch.js';
import { FeatureProcessor } from '../features/feature-processor.js';
import type { FeatureConfigInput } from '../features/feature-config.js';

/** Train/validation/test splits of one dataset, encoded by a processor fitted on the training split only. */
export interface PreparedSplits {
  processor: FeatureProcessor;
  train: EncodedBatch;
  valid: EncodedBatch;
  test: EncodedBatch;
  /** Ground truth of the test rows (synthetic data only): true p per task and latent cluster. */
  testTrueP?: Float64Array[];
  testCluster?: Int32Array;
}

export interface SplitOptions {
  /** Fractions of rows (in stream order) for train and validation; the rest is test. */
  trainFraction?: number;
  validFraction?: number;
  /** Overrides of the generator's feature config (e.g. embeddingDim). */
  featureConfig?: Partial<FeatureConfigInput>;
}

/**
 * Temporal split (first rows train, then validation, then test — the AREAD protocol; synthetic rows are
 * i.i.d. before any drift so this is also a random split), processor fitted on train only.
 */
export function prepareSynthetic(data: SyntheticDataset, options: SplitOptions = {}): PreparedSplits {
  const n = data.rows.length;
  const { nTrain, nValid } = splitSizes(n, options, 'prepareSynthetic');
  const trainRows = data.rows.slice(0, nTrain);
  const processor = FeatureProcessor.fit({ ...data.featureConfig, ...options.featureConfig }, trainRows);
  const encode = (from: number, to: number) => processor.transform(data.rows.slice(from, to), { requireLabels: true });
  return {
    processor,
    train: encode(0, nTrain),
    valid: encode(nTrain, nTrain + nValid),
    test: encode(nTrain + nValid, n),
    testTrueP: data.trueP.map((p) => p.slice(nTrain + nValid)),
    testCluster: data.cluster.slice(nTrain + nValid),
  };
}

function splitSizes(n: number, options: SplitOptions, what: string): { nTrain: number; nValid: number } {
  const nTrain = Math.floor(n * (options.trainFraction ?? 0.7));
  const nValid = Math.floor(n * (options.validFraction ?? 0.1));
  if (nTrain < 1 || nValid < 1 || n - nTrain - nValid < 1) throw new Error(`${what}: ${n} rows are too few for train/valid/test splits`);
  return { nTrain, nValid };
}

/** Splits of a streamed synthetic dataset plus the sample facts `generateSynthetic` would have reported. */
export interface StreamedSplits extends PreparedSplits {
  tasks: string[];
  numClusters: number;
  stats: { domainShares: number[]; mutualInformation: number; nmi: number };
}

/** Growable encoded split: chunks are appended into typed arrays sized for the whole split up front. */
class SplitBuffer {
  readonly batch: EncodedBatch;
  private filled = 0;
  private readonly groupIndex = new Map<string, number>();

  constructor(size: number, widths: { numFields: number; seqWidth: number; numDense: number; tasks: number }) {
    this.batch = {
      size,
      fieldIds: new Int32Array(size * widths.numFields),
      seqIds: new Int32Array(size * widths.seqWidth),
      dense: new Float32Array(size * widths.numDense),
      domain: new Int32Array(size),
      labels: Array.from({ length: widths.tasks }, () => new Float32Array(size)),
      groups: new Int32Array(size),
    };
  }

  /**
   * Copies an encoded chunk in. Group ids are re-numbered over the whole split (first appearance), as one
   * `transform` of the whole split would number them; `transform` numbers them per call.
   */
  append(chunk: EncodedBatch, rows: readonly RawRow[], groupField: string | undefined): void {
    const b = this.batch;
    const at = this.filled;
    const w = (a: { length: number }) => a.length / chunk.size;
    b.fieldIds.set(chunk.fieldIds, at * w(chunk.fieldIds));
    b.seqIds.set(chunk.seqIds, at * w(chunk.seqIds));
    b.dense.set(chunk.dense, at * w(chunk.dense));
    b.domain.set(chunk.domain, at);
    chunk.labels.forEach((l, k) => b.labels[k].set(l, at));
    for (let i = 0; i < chunk.size; i++) {
      const g = groupField === undefined || chunk.groups[i] < 0 ? undefined : String(rows[i][groupField]);
      let gi = g === undefined ? -1 : this.groupIndex.get(g);
      if (g !== undefined && gi === undefined) this.groupIndex.set(g, (gi = this.groupIndex.size));
      b.groups[at + i] = gi!;
    }
    this.filled += chunk.size;
  }
}

/**
 * The same splits as `prepareSynthetic(generateSynthetic(input))`, bit for bit, without holding the rows as JS
 * objects: pass 1 streams the training rows into `FeatureProcessor.fit`, pass 2 re-generates the stream and
 * encodes it `chunkRows` rows at a time into preallocated typed arrays. Memory is the encoded splits
 * (≈ 100 bytes a row) plus one chunk, so 1M rows fit where 1M row objects would not.
 */
export function prepareSyntheticStream(input: SyntheticConfigInput, options: SplitOptions & { chunkRows?: number } = {}): StreamedSplits {
  const source = syntheticSource(input);
  const n = source.config.rows;
  const { nTrain, nValid } = splitSizes(n, options, 'prepareSyntheticStream');
  const chunkRows = options.chunkRows ?? 10_000;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`prepareSyntheticStream: chunkRows expected a positive integer, got ${chunkRows}`);
  function* trainRows(): Generator<RawRow> {
    let i = 0;
    for (const x of source.rows()) {
      if (i++ >= nTrain) return;
      yield x.row;
    }
  }
  const featureConfig = { ...source.featureConfig, ...options.featureConfig };
  const processor = FeatureProcessor.fit(featureConfig, trainRows());
  const { numFields, seqWidth, numDense } = processor.layout;
  const widths = { numFields, seqWidth, numDense, tasks: processor.layout.tasks.length };
  const bounds = [0, nTrain, nTrain + nValid, n];
  const splits = [0, 1, 2].map((s) => new SplitBuffer(bounds[s + 1] - bounds[s], widths));
  const groupField = processor.toJSON().config.groupField;
  const nTest = n - bounds[2];
  const testTrueP = source.tasks.map(() => new Float64Array(nTest));
  const testCluster = new Int32Array(nTest);
  const cluster = new Int32Array(n);
  const domain = new Int32Array(n);
  let chunk: RawRow[] = [];
  let split = 0;
  let i = 0;
  const flush = () => {
    if (chunk.length) splits[split].append(processor.transform(chunk, { requireLabels: true }), chunk, groupField);
    chunk = [];
  };
  for (const x of source.rows()) {
    // A chunk never straddles a split boundary.
    while (i >= bounds[split + 1]) {
      flush();
      split++;
    }
    chunk.push(x.row);
    cluster[i] = x.cluster;
    domain[i] = x.domain;
    if (split === 2) {
      x.trueP.forEach((p, k) => (testTrueP[k][i - bounds[2]] = p));
      testCluster[i - bounds[2]] = x.cluster;
    }
    if (chunk.length >= chunkRows) flush();
    i++;
  }
  flush();
  return {
    processor,
    train: splits[0].batch,
    valid: splits[1].batch,
    test: splits[2].batch,
    testTrueP,
    testCluster,
    tasks: source.tasks,
    numClusters: source.config.numClusters,
    stats: sampleStats(cluster, domain, source.config.numClusters, source.numDomainsSeen),
  };
}

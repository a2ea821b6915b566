import type { SyntheticDataset } from '../data/synthetic-generator.js';
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
  const nTrain = Math.floor(n * (options.trainFraction ?? 0.7));
  const nValid = Math.floor(n * (options.validFraction ?? 0.1));
  if (nTrain < 1 || nValid < 1 || n - nTrain - nValid < 1) throw new Error(`prepareSynthetic: ${n} rows are too few for train/valid/test splits`);
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

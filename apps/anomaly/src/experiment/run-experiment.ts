import * as tf from '@tensorflow/tfjs-core';
import type { VideoDataset } from '../data/video.js';
import { evaluateModel, type AnomalyMetrics } from '../eval/evaluate.js';
import { AnomalyModel, type AnomalyModelConfig } from '../model/anomaly-model.js';
import { trainAnomalyModel, type TrainSettings } from '../train/train-model.js';

/** One trained (method, seed) cell: test metrics at the validation-selected epoch and at the last one. */
export interface ExperimentResult {
  method: string;
  seed: number;
  parameters: number;
  bestEpoch: number;
  bestValidationAuc: number;
  /** Test metrics of the checkpoint chosen on validation (the headline numbers). */
  test: AnomalyMetrics;
  /** Test metrics of the final epoch (reported because the papers select on test; §6.1). */
  testFinal: AnomalyMetrics;
  secondsPerEpoch: number;
  steps: number;
}

/**
 * Trains `config` with `settings` on `splits.train`, selects the epoch on `splits.validation`, and evaluates
 * on `splits.test` once per reported checkpoint. Returns the model at its selected weights when `keep` is set
 * (else disposes it).
 */
export async function runExperiment(
  config: AnomalyModelConfig,
  splits: { train: VideoDataset; validation: VideoDataset; test: VideoDataset },
  settings: TrainSettings,
  keep = false,
): Promise<{ result: ExperimentResult; model: AnomalyModel | null }> {
  const model = new AnomalyModel(config);
  const outcome = await trainAnomalyModel(model, splits.train, splits.validation, settings);
  const testFinal = await evaluateModel(model, splits.test);
  model.setWeights(outcome.bestWeights);
  tf.dispose(Object.values(outcome.bestWeights));
  const test = await evaluateModel(model, splits.test);
  const result: ExperimentResult = {
    method: config.method,
    seed: config.seed,
    parameters: model.countParams(true),
    bestEpoch: outcome.bestEpoch,
    bestValidationAuc: outcome.bestValidationAuc,
    test,
    testFinal,
    secondsPerEpoch: outcome.secondsPerEpoch,
    steps: outcome.steps,
  };
  if (!keep) model.dispose();
  return { result, model: keep ? model : null };
}

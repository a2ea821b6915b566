import { evaluateTask, type TaskMetrics } from '../eval/evaluate.js';
import { createModel } from '../model/create-model.js';
import type { CtrModel } from '../model/ctr-model.js';
import type { ModelConfigInput } from '../model/model-config.js';
import { predict, type Predictions } from '../train/predict.js';
import { trainModel, type TrainOptions, type TrainResult } from '../train/trainer.js';
import type { PreparedSplits } from './synthetic-split.js';

export interface ModelRun {
  model: string;
  /** Test metrics per task. */
  metrics: TaskMetrics[];
  train: TrainResult;
  predictions: Predictions;
  params: number;
}

/** Test metrics of the true probabilities (the Bayes ceiling), per task. */
export function oracleMetrics(splits: PreparedSplits): TaskMetrics[] {
  if (!splits.testTrueP) throw new Error('oracleMetrics: the splits carry no true probabilities (synthetic data only)');
  return splits.testTrueP.map((p, t) => evaluateTask({ p, y: splits.test.labels[t], domain: splits.test.domain, numDomains: splits.processor.layout.numDomains, groups: splits.test.groups }));
}

/** Builds, trains (validation early stopping) and evaluates one model; the model is disposed unless `keep`. */
export async function runModel(
  splits: PreparedSplits,
  modelConfig: ModelConfigInput,
  train: Omit<TrainOptions, 'validation'>,
  options: { keep?: boolean; diagnostics?: boolean } = {},
): Promise<ModelRun & { instance?: CtrModel }> {
  const model = createModel(splits.processor.layout, modelConfig);
  try {
    const result = await trainModel(model, splits.train, { ...train, validation: splits.valid });
    const predictions = await predict(model, splits.test, { diagnostics: options.diagnostics });
    const metrics = predictions.probs.map((p, t) => evaluateTask({ p, y: splits.test.labels[t], domain: splits.test.domain, numDomains: splits.processor.layout.numDomains, groups: splits.test.groups }));
    return { model: modelConfig.kind, metrics, train: result, predictions, params: model.countParams(true) + model.table.data.length, instance: options.keep ? model : undefined };
  } finally {
    if (!options.keep) model.dispose();
  }
}


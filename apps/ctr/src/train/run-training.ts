import { saveCtrArtifact, type CtrArtifact } from '../artifact/model-artifact.js';
import { loadRows } from '../data/load-rows.js';
import { evaluateTask, type TaskMetrics } from '../eval/evaluate.js';
import { FeatureProcessor } from '../features/feature-processor.js';
import { createModel } from '../model/create-model.js';
import { predict } from './predict.js';
import { parseTrainConfig, type TrainConfig } from './train-config.js';
import { trainModel, type EpochReport, type TrainResult } from './trainer.js';

export interface TrainingSummary {
  model: string;
  rows: { train: number; valid: number; test: number };
  domains: string[];
  train: TrainResult;
  /** Test metrics per task name. */
  test: Record<string, Omit<TaskMetrics, 'perDomain'> & { perDomainAuc: Record<string, number> }>;
  /** Test AUC of the true probabilities (synthetic data only). */
  oracleAuc?: Record<string, number>;
  artifact?: string;
}

export interface TrainingHooks {
  onStep?: (e: { epoch: number; step: number; steps: number; loss: number }) => void;
  onEpoch?: (e: EpochReport) => void;
}

/** Loads data, fits features on the training split, trains, evaluates on test and (optionally) saves the artefact. */
export async function runTraining(input: unknown, hooks: TrainingHooks = {}): Promise<{ summary: TrainingSummary; artifact: CtrArtifact }> {
  const cfg: TrainConfig = parseTrainConfig(input);
  const { rows, synthetic } = await loadRows(cfg.data);
  const features = cfg.features ?? synthetic?.featureConfig;
  if (!features) throw new Error('invalid trainConfig: trainConfig.features: required unless data is synthetic');
  const nTrain = Math.floor(rows.length * cfg.split.train);
  const nValid = Math.floor(rows.length * cfg.split.valid);
  if (nTrain < 1 || nValid < 1 || rows.length - nTrain - nValid < 1) throw new Error(`runTraining: ${rows.length} rows are too few for the split ${cfg.split.train}/${cfg.split.valid}`);
  const processor = FeatureProcessor.fit(features, rows.slice(0, nTrain));
  const encode = (a: number, b: number) => processor.transform(rows.slice(a, b), { requireLabels: true });
  const [train, valid, test] = [encode(0, nTrain), encode(nTrain, nTrain + nValid), encode(nTrain + nValid, rows.length)];
  const model = createModel(processor.layout, cfg.model);
  const result = await trainModel(model, train, { ...cfg.training, validation: valid, onStep: hooks.onStep, onEpoch: hooks.onEpoch });
  const pred = await predict(model, test);
  const testMetrics: TrainingSummary['test'] = {};
  processor.layout.tasks.forEach((t, k) => {
    const { perDomain, ...m } = evaluateTask({ p: pred.probs[k], y: test.labels[k], domain: test.domain, numDomains: processor.layout.numDomains, groups: test.groups });
    testMetrics[t.name] = { ...m, perDomainAuc: Object.fromEntries(perDomain.map((d, i) => [processor.domains[i], d.auc])) };
  });
  const summary: TrainingSummary = { model: cfg.model.kind, rows: { train: train.size, valid: valid.size, test: test.size }, domains: processor.domains, train: result, test: testMetrics };
  if (synthetic) {
    summary.oracleAuc = Object.fromEntries(processor.layout.tasks.map((t, k) => [t.name, evaluateTask({ p: synthetic.trueP[k].slice(nTrain + nValid), y: test.labels[k], domain: test.domain, numDomains: processor.layout.numDomains }).auc]));
  }
  const artifact: CtrArtifact = { processor, model, metadata: { model: cfg.model.kind, testAuc: testMetrics[processor.layout.tasks[0].name].auc, trainedAt: new Date().toISOString() } };
  if (cfg.out) {
    await saveCtrArtifact(cfg.out, artifact);
    summary.artifact = cfg.out;
  }
  return { summary, artifact };
}

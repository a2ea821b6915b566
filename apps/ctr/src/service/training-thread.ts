// Entry of the worker thread that runs one training job (see run-training-in-thread.ts): training is CPU-bound
// and on wasm/cpu its tensor reads resolve as microtasks, so on the main thread it would hold the event
// loop — and every /predict request — for the whole run.
import { parentPort, workerData } from 'node:worker_threads';
import '@moe/kernels';
import { selectBackend } from '@moe/runtime';
import { saveCtrArtifact } from '../artifact/model-artifact.js';
import { loadRows } from '../data/load-rows.js';
import { runTraining } from '../train/run-training.js';
import type { TrainConfig } from '../train/train-config.js';
import { expertUtilisation } from './expert-utilisation.js';
import type { TrainingThreadInput, TrainingThreadMessage } from './training-thread-protocol.js';

/** Held-out rows used to measure expert utilisation of the finished model. */
const UTILISATION_ROWS = 2000;

const post = (m: TrainingThreadMessage) => parentPort!.postMessage(m);

/** The test split of the run's data (same stream-order split as runTraining), capped for the utilisation pass. */
async function heldOutRows(config: TrainConfig) {
  const { rows } = await loadRows(config.data);
  const start = Math.floor(rows.length * config.split.train) + Math.floor(rows.length * config.split.valid);
  return rows.slice(start, start + UTILISATION_ROWS);
}

async function main(input: TrainingThreadInput): Promise<void> {
  await selectBackend({ request: input.backend });
  const { summary, artifact } = await runTraining(input.config, {
    onStep: (e) => post({ type: 'step', ...e }),
    onEpoch: (e) => post({ type: 'epoch', epoch: e.epoch, trainLoss: e.trainLoss, ...(e.validLogloss !== undefined ? { validLogloss: e.validLogloss } : {}), samplesPerSecond: e.samplesPerSecond }),
  });
  const utilisation = await expertUtilisation(artifact, await heldOutRows(input.config));
  const tasks = Object.keys(summary.test);
  const perDomainAuc = Object.fromEntries(Object.entries(summary.test[tasks[0]].perDomainAuc).filter(([, v]) => Number.isFinite(v)));
  artifact.metadata = { ...artifact.metadata, perDomainAuc, runId: input.runId };
  await saveCtrArtifact(input.artifactDir, artifact);
  artifact.model.dispose();
  post({
    type: 'done',
    tasks: Object.fromEntries(tasks.map((t) => [t, { auc: summary.test[t].auc, logloss: summary.test[t].logloss, pcoc: summary.test[t].pcoc }])),
    perDomainAuc,
    ...(utilisation ? { utilisation } : {}),
  });
}

main(workerData as TrainingThreadInput).catch((e: unknown) => post({ type: 'error', message: (e as Error)?.message ?? String(e) }));

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '@moe/db';
import { registerModelVersion, setModelStatus } from '@moe/db';
import { saveCtrArtifact } from '../artifact/model-artifact.js';
import { runTraining, type TrainingSummary } from '../train/run-training.js';
import type { TrainConfig } from '../train/train-config.js';
import type { ModelSlot } from './model-slot.js';

export interface TrainingRunState {
  id: number;
  status: 'running' | 'succeeded' | 'failed';
  model: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** Metric series by name: [step, value] (epoch-level train loss and validation logloss). */
  metrics: Record<string, [number, number][]>;
  summary?: Omit<TrainingSummary, 'train'>;
  modelVersionId?: number;
  artifactPath?: string;
}

/**
 * Background training runs started by POST /api/ctr/train: progress and metrics are stored in the registry
 * database (TrainingRun / TrainingMetric) when there is one, and kept in memory for GET /train/:id; a finished
 * run saves its artefact, registers a model version and, when asked, hot-swaps it into serving.
 */
export class TrainingJobs {
  private readonly runs = new Map<number, TrainingRunState>();
  private localId = 0;

  constructor(private readonly options: { db?: Db; slot: ModelSlot; artifactsDir: string; log?: (msg: string) => void }) {}

  get(id: number): TrainingRunState | undefined {
    return this.runs.get(id);
  }

  list(): TrainingRunState[] {
    return [...this.runs.values()].sort((a, b) => b.id - a.id);
  }

  /** Starts a run and returns its state immediately; `done` settles when it finishes. */
  async start(config: TrainConfig, activate: boolean): Promise<{ run: TrainingRunState; done: Promise<void> }> {
    const db = this.options.db;
    const row = db ? await db.client.trainingRun.create({ data: { app: 'ctr', modelName: config.model.kind, params: JSON.parse(JSON.stringify({ ...config, out: undefined })) } }) : undefined;
    const run: TrainingRunState = { id: row?.id ?? ++this.localId, status: 'running', model: config.model.kind, startedAt: new Date().toISOString(), metrics: {} };
    this.runs.set(run.id, run);
    const record = async (name: string, step: number, value: number) => {
      if (!Number.isFinite(value)) return;
      (run.metrics[name] ??= []).push([step, value]);
      if (db && row) await db.client.trainingMetric.create({ data: { runId: row.id, name, step, value } });
    };
    const done = (async () => {
      try {
        const pendingWrites: Promise<void>[] = [];
        const { summary, artifact } = await runTraining({ ...config, out: undefined }, {
          onEpoch: (e) => {
            pendingWrites.push(record('train_loss', e.epoch, e.trainLoss));
            if (e.validLogloss !== undefined) pendingWrites.push(record('valid_logloss', e.epoch, e.validLogloss));
          },
        });
        await Promise.all(pendingWrites);
        const dir = join(this.options.artifactsDir, `ctr-${config.model.kind}-run${run.id}-${Date.now()}`);
        const firstTask = Object.keys(summary.test)[0];
        artifact.metadata = { ...artifact.metadata, perDomainAuc: summary.test[firstTask].perDomainAuc as Record<string, number>, runId: run.id };
        await saveCtrArtifact(dir, artifact);
        await record('test_auc', 0, summary.test[firstTask].auc);
        const { train: _train, ...rest } = summary;
        run.summary = rest;
        run.artifactPath = dir;
        if (db && row) {
          const sha256 = createHash('sha256').update(await readFile(join(dir, 'manifest.json'))).digest('hex');
          const metrics = Object.fromEntries(Object.entries(summary.test).flatMap(([t, m]) => [[`${t}_auc`, m.auc], [`${t}_logloss`, m.logloss]]).filter(([, v]) => Number.isFinite(v as number)));
          const version = await registerModelVersion(db, { app: 'ctr', name: config.model.kind, config: JSON.parse(JSON.stringify(artifact.model.config)), metrics, artifactPath: dir, sha256, status: 'staging' });
          run.modelVersionId = version.id;
          if (activate) await setModelStatus(db, version.id, 'production');
          await db.client.trainingRun.update({ where: { id: row.id }, data: { status: 'succeeded', finishedAt: new Date(), modelVersionId: version.id } });
        }
        if (activate) this.options.slot.swap(artifact, run.modelVersionId !== undefined ? `v${run.modelVersionId}` : `run${run.id}`);
        else artifact.model.dispose();
        run.status = 'succeeded';
      } catch (e) {
        run.status = 'failed';
        run.error = (e as Error).message;
        this.options.log?.(`training run ${run.id} failed: ${run.error}`);
        if (db && row) await db.client.trainingRun.update({ where: { id: row.id }, data: { status: 'failed', error: run.error.slice(0, 2000), finishedAt: new Date() } });
      } finally {
        run.finishedAt = new Date().toISOString();
      }
    })();
    return { run, done };
  }
}

import { join } from 'node:path';
import type { Db, ModelVersion, Prisma } from '@moe/db';
import type { CtrArtifact } from '../artifact/model-artifact.js';
import { loadRows } from '../data/load-rows.js';
import { runTraining } from '../train/run-training.js';
import type { TrainConfig } from '../train/train-config.js';
import { expertUtilisation } from './expert-utilisation.js';
import { CTR_APP, saveAndRegister } from './model-versions.js';

/** Live progress of a run in this process (the stored run row and metric series are the durable record). */
export interface RunProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
}

export interface TrainingJobsOptions {
  db: Db;
  artifactsDir: string;
  /** Called with a finished run's registered version when the run was started with `activate`. */
  activate: (version: ModelVersion, artifact: CtrArtifact) => Promise<void>;
  log: (level: 'info' | 'error', message: string) => void;
}

/** Step-level loss is stored every this many steps (epoch-level metrics always). */
const STEP_METRIC_EVERY = 5;
/** Held-out rows used to measure expert utilisation of a finished model. */
const UTILISATION_ROWS = 2000;

/**
 * Background training runs (POST /api/ctr/train and the start-up default model). Each run is a TrainingRun
 * row whose metric series (step loss, epoch loss, validation logloss, test AUC per task and domain) are
 * written as it goes; a finished run saves its artefact, registers a model version (with per-domain AUC and
 * expert utilisation in its metrics) and, when asked, activates it. One run at a time: training shares the
 * CPU with serving.
 */
export class TrainingJobs {
  private readonly progress = new Map<number, RunProgress>();
  private running: number | undefined;

  constructor(private readonly options: TrainingJobsOptions) {}

  get runningRunId(): number | undefined {
    return this.running;
  }

  progressOf(runId: number): RunProgress | undefined {
    return this.progress.get(runId);
  }

  /** Starts a run; resolves with its id once the run row exists, `done` when it has finished (either way). */
  async start(config: TrainConfig, options: { activate: boolean; name?: string }): Promise<{ runId: number; done: Promise<ModelVersion | undefined> }> {
    if (this.running !== undefined) throw new TrainingBusyError(this.running);
    const { db } = this.options;
    const row = await db.client.trainingRun.create({ data: { app: CTR_APP, modelName: config.model.kind, params: JSON.parse(JSON.stringify(config)) as Prisma.InputJsonValue } });
    this.running = row.id;
    const done = this.execute(row.id, config, options).finally(() => {
      this.running = undefined;
      this.progress.delete(row.id);
    });
    return { runId: row.id, done };
  }

  private async execute(runId: number, config: TrainConfig, options: { activate: boolean; name?: string }): Promise<ModelVersion | undefined> {
    const { db } = this.options;
    const buffered: Prisma.TrainingMetricCreateManyInput[] = [];
    const metric = (name: string, step: number, value: number) => {
      if (Number.isFinite(value)) buffered.push({ runId, name, step, value });
    };
    const flush = async () => {
      if (buffered.length) await db.client.trainingMetric.createMany({ data: buffered.splice(0) });
    };
    let flushing: Promise<void> = Promise.resolve();
    let globalStep = 0;
    try {
      this.options.log('info', `training run ${runId}: ${config.model.kind} started`);
      const { summary, artifact } = await runTraining(config, {
        onStep: (e) => {
          globalStep++;
          this.progress.set(runId, { epoch: e.epoch, epochs: config.training.epochs, step: e.step + 1, steps: e.steps });
          if (e.step % STEP_METRIC_EVERY === 0) metric('train_loss', globalStep, e.loss);
        },
        onEpoch: (e) => {
          metric('epoch_train_loss', e.epoch + 1, e.trainLoss);
          if (e.validLogloss !== undefined) metric('valid_logloss', e.epoch + 1, e.validLogloss);
          metric('samples_per_second', e.epoch + 1, e.samplesPerSecond);
          // Written between epochs so GET /train/:id shows the curves while the run goes on.
          flushing = flushing.then(flush);
        },
      });
      await flushing;
      const tasks = Object.keys(summary.test);
      const perDomainAuc = Object.fromEntries(Object.entries(summary.test[tasks[0]].perDomainAuc).filter(([, v]) => Number.isFinite(v)));
      for (const t of tasks) {
        metric(`test_auc/${t}`, 0, summary.test[t].auc);
        metric(`test_logloss/${t}`, 0, summary.test[t].logloss);
      }
      await flush();
      const utilisation = await expertUtilisation(artifact, await heldOutRows(config));
      artifact.metadata = { ...artifact.metadata, perDomainAuc, runId };
      const metrics = {
        ...Object.fromEntries(tasks.flatMap((t) => [[`${t}_auc`, summary.test[t].auc], [`${t}_logloss`, summary.test[t].logloss], [`${t}_pcoc`, summary.test[t].pcoc]]).filter(([, v]) => Number.isFinite(v as number))),
        perDomainAuc,
        ...(utilisation ? { expertLoad: utilisation } : {}),
      } as Prisma.InputJsonValue;
      const dir = join(this.options.artifactsDir, `${options.name ?? config.model.kind}-run${runId}-${Date.now().toString(36)}`);
      const version = await saveAndRegister(db, { dir, name: options.name ?? config.model.kind, artifact, metrics });
      await db.client.trainingRun.update({ where: { id: runId }, data: { status: 'succeeded', finishedAt: new Date(), modelVersionId: version.id } });
      this.options.log('info', `training run ${runId}: registered ${version.name} v${version.version} (id ${version.id})`);
      if (options.activate) await this.options.activate(version, artifact);
      else artifact.model.dispose();
      return version;
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      this.options.log('error', `training run ${runId} failed: ${message}`);
      await flushing.catch(() => undefined);
      await db.client.trainingRun.update({ where: { id: runId }, data: { status: 'failed', error: message.slice(0, 2000), finishedAt: new Date() } });
      return undefined;
    }
  }
}

/** Another run is going on (answered 409 by the route). */
export class TrainingBusyError extends Error {
  override readonly name = 'TrainingBusyError';
  constructor(readonly runId: number) {
    super(`training run ${runId} is still running; one run at a time (poll GET /api/ctr/train/${runId})`);
  }
}

/** The test split of the run's data (same stream-order split as runTraining), capped for the utilisation pass. */
async function heldOutRows(config: TrainConfig) {
  const { rows } = await loadRows(config.data);
  const start = Math.floor(rows.length * config.split.train) + Math.floor(rows.length * config.split.valid);
  return rows.slice(start, start + UTILISATION_ROWS);
}

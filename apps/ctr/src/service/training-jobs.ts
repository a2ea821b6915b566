import { join } from 'node:path';
import {
  DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_AFTER_MS, heartbeatTrainingRuns, processOwnerToken, reapOrphanedTrainingRuns, registerModelVersion, type Db, type ModelVersion, type Prisma,
} from '@moe/db';
import type { TrainConfig } from '../train/train-config.js';
import { artifactSha256, CTR_APP } from './model-versions.js';
import { runTrainingInThread, type ThreadedTraining } from './run-training-in-thread.js';

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
  activate: (version: ModelVersion) => Promise<void>;
  log: (level: 'info' | 'error', message: string) => void;
  /** How often this process stamps its running runs' heartbeat and looks for orphans (10 s). */
  heartbeatMs?: number;
  /** A `running` run whose heartbeat is older than this was left by a dead process and is reaped (30 s). */
  staleAfterMs?: number;
}

/** Step-level loss is stored every this many steps (epoch-level metrics always). */
const STEP_METRIC_EVERY = 5;

/**
 * Background training runs (POST /api/ctr/train and the start-up default model), each on a worker thread.
 * A run is a TrainingRun row whose metric series (step loss, epoch loss, validation logloss, test AUC and
 * logloss per task) are written as it goes; a finished run's artefact is registered as a model version (with
 * per-domain AUC and expert utilisation in its metrics) and, when asked, activated. One run at a time:
 * training shares the CPU with serving. Runs carry this process's owner token and a heartbeat; runs left
 * `running` by a process that died are reaped as failed at start-up and then periodically (see @moe/db).
 */
export class TrainingJobs {
  /** This process, as recorded in the runs it starts. */
  readonly owner = processOwnerToken();
  private readonly progress = new Map<number, RunProgress>();
  private maintenance: ReturnType<typeof setInterval> | undefined;
  private running: { runId: number; thread: ThreadedTraining; done: Promise<unknown> } | undefined;
  /** Set synchronously while a run's row is being created, so two concurrent starts cannot both pass the busy check. */
  private starting = false;

  constructor(private readonly options: TrainingJobsOptions) {}

  /**
   * Reaps runs orphaned by a dead process (awaited, so start-up reports them), then keeps this process's
   * heartbeat fresh and reaps again every `heartbeatMs` (a restart that came back before the dead owner's
   * heartbeat went stale reaps it on a later tick). Returns the ids reaped now.
   */
  async startMaintenance(): Promise<number[]> {
    const reaped = await this.reap();
    if (this.maintenance === undefined) {
      this.maintenance = setInterval(() => void this.tick(), this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
      this.maintenance.unref();
    }
    return reaped;
  }

  stopMaintenance(): void {
    clearInterval(this.maintenance);
    this.maintenance = undefined;
  }

  private async reap(): Promise<number[]> {
    const reaped = await reapOrphanedTrainingRuns(this.options.db, { app: CTR_APP, staleAfterMs: this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS, reaper: this.owner });
    for (const id of reaped) this.options.log('error', `training run ${id} was left running by a process that died; marked failed`);
    return reaped;
  }

  private async tick(): Promise<void> {
    try {
      if (this.running !== undefined) await heartbeatTrainingRuns(this.options.db, this.owner);
      await this.reap();
    } catch (e) {
      // A database hiccup must not stop the service; the next tick tries again.
      this.options.log('error', `training-run heartbeat/reaper failed: ${(e as Error).message}`);
    }
  }

  get runningRunId(): number | undefined {
    return this.running?.runId;
  }

  progressOf(runId: number): RunProgress | undefined {
    return this.progress.get(runId);
  }

  /** Starts a run; resolves with its id once the run row exists, `done` when it has finished (either way). */
  async start(config: TrainConfig, options: { activate: boolean }): Promise<{ runId: number; done: Promise<ModelVersion | undefined> }> {
    if (this.running !== undefined) throw new TrainingBusyError(this.running.runId);
    if (this.starting) throw new TrainingBusyError(undefined);
    const { db } = this.options;
    this.starting = true;
    let row;
    try {
      row = await db.client.trainingRun.create({
        data: { app: CTR_APP, modelName: config.model.kind, params: JSON.parse(JSON.stringify(config)) as Prisma.InputJsonValue, owner: this.owner, heartbeatAt: new Date() },
      });
    } finally {
      this.starting = false;
    }
    const runId = row.id;
    const artifactDir = join(this.options.artifactsDir, `${config.model.kind}-run${runId}-${Date.now().toString(36)}`);
    const buffered: Prisma.TrainingMetricCreateManyInput[] = [];
    const metric = (name: string, step: number, value: number) => {
      if (Number.isFinite(value)) buffered.push({ runId, name, step, value });
    };
    let writes: Promise<unknown> = Promise.resolve();
    // Written between epochs (and at the end) so GET /train/:id shows the curves while the run goes on.
    const flush = () => (writes = writes.then(() => (buffered.length ? db.client.trainingMetric.createMany({ data: buffered.splice(0) }) : undefined)));
    let globalStep = 0;
    // Claimed before anything else can run, so a concurrent start sees this run as busy.
    const thread = runTrainingInThread({ runId, config, artifactDir }, (m) => {
      if (m.type === 'step') {
        globalStep++;
        this.progress.set(runId, { epoch: m.epoch, epochs: config.training.epochs, step: m.step + 1, steps: m.steps });
        if (m.step % STEP_METRIC_EVERY === 0) metric('train_loss', globalStep, m.loss);
      } else {
        metric('epoch_train_loss', m.epoch + 1, m.trainLoss);
        if (m.validLogloss !== undefined) metric('valid_logloss', m.epoch + 1, m.validLogloss);
        metric('samples_per_second', m.epoch + 1, m.samplesPerSecond);
        void flush();
      }
    });
    this.options.log('info', `training run ${runId}: ${config.model.kind} started`);
    const done = (async (): Promise<ModelVersion | undefined> => {
      try {
        const result = await thread.result;
        for (const [t, m] of Object.entries(result.tasks)) {
          metric(`test_auc/${t}`, 0, m.auc);
          metric(`test_logloss/${t}`, 0, m.logloss);
        }
        await flush();
        const metrics = {
          ...Object.fromEntries(Object.entries(result.tasks).flatMap(([t, m]) => [[`${t}_auc`, m.auc], [`${t}_logloss`, m.logloss], [`${t}_pcoc`, m.pcoc]]).filter(([, v]) => Number.isFinite(v as number))),
          perDomainAuc: result.perDomainAuc,
          ...(result.utilisation ? { expertLoad: result.utilisation } : {}),
        } as Prisma.InputJsonValue;
        const version = await registerModelVersion(db, {
          app: CTR_APP,
          name: config.model.kind,
          config: JSON.parse(JSON.stringify({ model: config.model, features: config.features ?? null, data: config.data })) as Prisma.InputJsonValue,
          metrics,
          artifactPath: artifactDir,
          sha256: await artifactSha256(artifactDir),
          status: 'staging',
        });
        await db.client.trainingRun.update({ where: { id: runId }, data: { status: 'succeeded', finishedAt: new Date(), modelVersionId: version.id } });
        this.options.log('info', `training run ${runId}: registered ${version.name} v${version.version} (id ${version.id})`);
        if (options.activate) await this.options.activate(version);
        return version;
      } catch (e) {
        const message = (e as Error).message ?? String(e);
        const status = message.startsWith('cancelled: ') ? 'cancelled' : 'failed';
        this.options.log('error', `training run ${runId} ${status}: ${message}`);
        await writes.catch(() => undefined);
        await db.client.trainingRun
          .update({ where: { id: runId }, data: { status, error: message.slice(0, 2000), finishedAt: new Date() } })
          .catch((err: unknown) => this.options.log('error', `training run ${runId}: its ${status} status could not be stored (${(err as Error).message})`));
        return undefined;
      } finally {
        this.running = undefined;
        this.progress.delete(runId);
      }
    })();
    this.running = { runId, thread, done };
    return { runId, done };
  }

  /** Stops the running run (stored as cancelled) and waits until it is recorded; used on shutdown. */
  async cancel(reason: string): Promise<void> {
    this.stopMaintenance();
    const running = this.running;
    if (!running) return;
    await running.thread.cancel(reason);
    await running.done;
  }
}

/** Another run is going on (answered 409 by the route). */
export class TrainingBusyError extends Error {
  override readonly name = 'TrainingBusyError';
  constructor(readonly runId: number | undefined) {
    super(runId === undefined ? 'a training run is starting; one run at a time (GET /api/ctr/train lists runs)' : `training run ${runId} is still running; one run at a time (poll GET /api/ctr/train/${runId})`);
  }
}

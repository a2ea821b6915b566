import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { heartbeatTrainingRuns, processOwnerToken, reapOrphanedTrainingRuns, registerModelVersion, resolveDbConfig, setModelStatus, type Db, type ModelVersion, type Prisma } from '@moe/db';
import type { AppContext } from '@moe/service';
import { WEATHER_TYPES } from '@moe/vision';
import { artifactSha256, loadDeweatherArtifact, saveDeweatherArtifact, type DeweatherArtifact, type DeweatherArtifactMetadata } from '../artifact/deweather-artifact.js';
import { runExperiment, type RunResult } from '../experiment/run-experiment.js';
import type { TrainRequest } from './train-request.js';
import { ModelSlot } from './model-slot.js';

export const DEWEATHER_APP = 'deweather';

/** The committed default model (trained by `deweather train --out apps/deweather/models/default`). */
export const DEFAULT_MODEL_DIR = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'models', 'default');

export interface DeweatherServiceOptions {
  artifactsDir?: string;
  /** Largest upload in bytes (default 8 MiB) → 413 beyond. */
  maxUploadBytes?: number;
  /** Largest decoded image in pixels (default 1024²) → 413 beyond. */
  maxPixels?: number;
  /** Artefact to register and serve when the registry has no deweather version (default the committed one). */
  defaultModelDir?: string;
  /** With neither a registered version nor a default artefact, train a small model at start (default true). */
  bootstrap?: boolean;
  /** Steps of that bootstrap training (default 60). */
  bootstrapSteps?: number;
}

export class TrainingBusyError extends Error {
  constructor(readonly runId: number) {
    super(`training run ${runId} is still running; one run at a time`);
  }
}

export interface RunProgress {
  step: number;
  steps: number;
  loss?: number;
  valPsnr?: number;
}

/** State behind the deweather routes: the serving slot, the registry and the (single) running training run. */
export class DeweatherContext {
  readonly slot = new ModelSlot<DeweatherArtifact['net']>();
  readonly maxUploadBytes: number;
  readonly maxPixels: number;
  readonly progress = new Map<number, RunProgress>();
  metadata: DeweatherArtifactMetadata | undefined;
  served = { requests: 0, pixels: 0 };
  /** Expert assignments per layer summed over served requests since the current model was activated. */
  liveUsage: number[][] = [];
  private running: { runId: number; abort: AbortController; done: Promise<unknown> } | undefined;
  private app: AppContext | undefined;
  private artifactsDir = '';
  private activation: Promise<unknown> = Promise.resolve();
  readonly owner = processOwnerToken();

  constructor(readonly options: DeweatherServiceOptions) {
    this.maxUploadBytes = options.maxUploadBytes ?? 8 * 1024 * 1024;
    this.maxPixels = options.maxPixels ?? 1024 * 1024;
  }

  get db(): Db | undefined {
    return this.app?.db;
  }

  get runningRunId(): number | undefined {
    return this.running?.runId;
  }

  start(app: AppContext): void {
    this.app = app;
    this.artifactsDir = resolve(this.options.artifactsDir ?? defaultArtifactsDir(app.db));
  }

  /** Marks runs left `running` by a process that died (stale heartbeat) as failed; returns their ids. */
  async reapOrphans(): Promise<number[]> {
    if (!this.db) return [];
    const ids = await reapOrphanedTrainingRuns(this.db, { app: DEWEATHER_APP, reaper: this.owner });
    for (const id of ids) this.app?.log.error(`deweather training run ${id} was left running by a process that died; marked failed`);
    return ids;
  }

  /** Serves a registered version after checking its artefact's sha256 against the registry. */
  activate(version: ModelVersion): Promise<{ previous: string | undefined; draining: number }> {
    const run = this.activation.then(async () => {
      const actual = await artifactSha256(version.artifactPath).catch((e: Error) => {
        throw new Error(`model version ${version.id}: artefact ${version.artifactPath} cannot be read (${e.message})`);
      });
      if (actual !== version.sha256) throw new Error(`model version ${version.id}: artefact ${version.artifactPath} has sha256 ${actual}, the registry expects ${version.sha256}; refusing it`);
      const artifact = await loadDeweatherArtifact(version.artifactPath);
      const db = this.db;
      if (db) {
        await setModelStatus(db, version.id, 'production');
        await db.client.modelVersion.updateMany({ where: { app: DEWEATHER_APP, status: 'production', NOT: { id: version.id } }, data: { status: 'archived' } });
      }
      const previous = this.slot.current?.version;
      const { draining } = this.slot.swap(artifact.net, `v${version.id}`, version.id);
      this.metadata = artifact.metadata;
      this.liveUsage = [];
      this.app?.log.info({ version: version.id, previous, draining }, 'deweather model activated');
      return { previous, draining };
    });
    this.activation = run.catch(() => undefined);
    return run;
  }

  /** Registers an artefact directory as a new version (staging). */
  async register(dir: string, name: string, metadata: DeweatherArtifactMetadata, config: Prisma.InputJsonValue): Promise<ModelVersion> {
    if (!this.db) throw new Error('deweather: no database, cannot register a model version');
    return registerModelVersion(this.db, { app: DEWEATHER_APP, name, config, metrics: JSON.parse(JSON.stringify({ ...metadata.metrics, expertUsage: metadata.expertUsage, calibration: metadata.calibration ?? null })) as Prisma.InputJsonValue, artifactPath: dir, sha256: await artifactSha256(dir), status: 'staging' });
  }

  /** Starts a background training run; resolves once its row exists. Steps yield to the event loop, so serving goes on. */
  async train(request: TrainRequest): Promise<{ runId: number; done: Promise<ModelVersion | undefined> }> {
    const db = this.db;
    if (!db) throw new Error('deweather: no database, cannot record a training run');
    if (this.running) throw new TrainingBusyError(this.running.runId);
    const row = await db.client.trainingRun.create({ data: { app: DEWEATHER_APP, modelName: request.variant, params: JSON.parse(JSON.stringify(request)) as Prisma.InputJsonValue, owner: this.owner, heartbeatAt: new Date() } });
    const runId = row.id;
    const abort = new AbortController();
    const buffered: Prisma.TrainingMetricCreateManyInput[] = [];
    const metric = (name: string, step: number, value: number) => Number.isFinite(value) && buffered.push({ runId, name, step, value });
    const flush = async () => (buffered.length ? db.client.trainingMetric.createMany({ data: buffered.splice(0) }) : undefined);
    this.progress.set(runId, { step: 0, steps: request.steps });
    let lastBeat = Date.now();
    const heartbeat = () => {
      if (Date.now() - lastBeat < 5000) return;
      lastBeat = Date.now();
      void heartbeatTrainingRuns(db, this.owner).catch((err: unknown) => this.app?.log.warn({ err }, 'training-run heartbeat failed'));
    };
    const dir = join(this.artifactsDir, `${request.variant}-run${runId}-${Date.now().toString(36)}`);
    const done = (async (): Promise<ModelVersion | undefined> => {
      let result: RunResult | undefined;
      try {
        await runExperiment(
          {
            variants: [request.variant],
            seeds: [request.seed],
            trainTypes: request.trainTypes,
            evalTypes: [...WEATHER_TYPES],
            model: { experts: request.experts, dim: request.dim },
            training: { steps: request.steps, batch: request.batch, learningRate: request.learningRate, evalEvery: Math.max(5, Math.round(request.steps / 5)) },
            data: { procedural: { train: 12, val: 2, test: 2 }, valCropsPerImage: 1, testCropsPerImage: 2 },
          },
          {
            signal: abort.signal,
            onEvent: (_run, e) => {
              const p = this.progress.get(runId)!;
              heartbeat();
              if (e.type === 'step') {
                p.step = e.step + 1;
                p.loss = e.loss;
                if (e.step % 5 === 0) metric('train_loss', e.step, e.loss);
              } else if (e.type === 'validation') {
                p.valPsnr = e.value;
                metric('val_psnr', e.step, e.value);
                void flush();
              }
            },
            onRun: async (r, net) => {
              result = r;
              for (const [t, m] of Object.entries(r.test.byType)) {
                metric(`test_psnr/${t}`, 0, m!.psnr);
                metric(`test_ssim/${t}`, 0, m!.ssim);
              }
              await saveDeweatherArtifact(dir, { net, metadata: metadataOf(r, 48, request.trainTypes, request.steps) });
            },
          },
        );
        await flush();
        if (!result) throw new Error('training was cancelled');
        const version = await this.register(dir, result.variant, metadataOf(result, 48, request.trainTypes, request.steps), JSON.parse(JSON.stringify(request)) as Prisma.InputJsonValue);
        await db.client.trainingRun.update({ where: { id: runId }, data: { status: 'succeeded', finishedAt: new Date(), modelVersionId: version.id } });
        if (request.activate) await this.activate(version);
        return version;
      } catch (e) {
        await flush().catch(() => undefined);
        const cancelled = abort.signal.aborted;
        await db.client.trainingRun.update({ where: { id: runId }, data: { status: cancelled ? 'cancelled' : 'failed', error: (e as Error).message, finishedAt: new Date() } }).catch(() => undefined);
        this.app?.log.error({ err: e, runId }, 'deweather training run failed');
        return undefined;
      } finally {
        this.running = undefined;
      }
    })();
    this.running = { runId, abort, done };
    return { runId, done };
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.running.abort.abort();
      await this.running.done;
    }
    await this.activation;
    await this.slot.dispose();
  }
}

/** The artefact metadata of one run's test evaluation. */
export function metadataOf(r: RunResult, crop: number, trainTypes: readonly string[], steps: number): DeweatherArtifactMetadata {
  const metrics: DeweatherArtifactMetadata['metrics'] = {};
  const expertUsage: DeweatherArtifactMetadata['expertUsage'] = {};
  for (const [t, m] of Object.entries(r.test.byType)) {
    metrics[t] = { psnr: m!.psnr, ssim: m!.ssim, inputPsnr: m!.inputPsnr, inputSsim: m!.inputSsim };
    const layers = m!.expertShare;
    if (layers.length) expertUsage[t] = layers[0].map((_, e) => layers.reduce((s, l) => s + l[e], 0) / layers.length);
  }
  return { crop, trainTypes: [...trainTypes], steps, variant: r.variant, metrics, expertUsage, ...(r.calibration ? { calibration: r.calibration } : {}) };
}

function defaultArtifactsDir(db: Db | undefined): string {
  if (db?.provider === 'sqlite' && db.location.startsWith('sqlite:')) return join(dirname(db.location.slice('sqlite:'.length)), 'deweather-models');
  const config = resolveDbConfig();
  if (config.provider === 'sqlite') return join(dirname(config.file), 'deweather-models');
  return join(process.env.MOE_DATA_DIR ?? '.data', 'deweather-models');
}

export function defaultModelPresent(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

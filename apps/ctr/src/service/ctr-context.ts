import { dirname, join, resolve } from 'node:path';
import { resolveDbConfig, setModelStatus, type Db, type ModelVersion } from '@moe/db';
import type { AppContext } from '@moe/service';
import type { TrainConfigInput } from '../train/train-config.js';
import { CTR_APP, loadRegisteredArtifact } from './model-versions.js';
import { ModelSlot } from './model-slot.js';
import { PredictionLog, type PredictionLogOptions } from './prediction-log.js';
import { TrainingJobs } from './training-jobs.js';
import { UtilisationTracker } from './utilisation-tracker.js';

export interface CtrServiceOptions {
  /** Where trained artefacts are written. Default: `ctr-models/` beside the SQLite file (or under MOE_DATA_DIR / .data). */
  artifactsDir?: string;
  /** Files POST /train may read (data.path must resolve inside); without it only synthetic data is accepted. */
  dataDir?: string;
  /** Most rows per predict request (default 1024); more → 413. */
  maxBatch?: number;
  /** Most synthetic rows a POST /train may ask for (default 200,000). */
  maxTrainRows?: number;
  /** An artefact directory to serve when the registry has no usable version (nothing is registered for it). */
  modelPath?: string;
  /** With no registered version (and no modelPath) at start, train and activate a small default model (default true). */
  bootstrap?: boolean;
  /** The default model's training config (a few seconds on one core). */
  bootstrapConfig?: TrainConfigInput;
  predictionLog?: Partial<PredictionLogOptions>;
}

/** A small MMoE on synthetic data: trains in a few seconds and has gates to show on the dashboard. */
export const DEFAULT_BOOTSTRAP_CONFIG: TrainConfigInput = {
  data: { synthetic: { rows: 6000, seed: 1, numDomains: 4, numUsers: 300, numItems: 200, domainSignal: 0.5 } },
  model: { kind: 'mmoe', hidden: [32, 16], numExperts: 4, tower: [8] },
  training: { epochs: 2, batchSize: 256 },
};

/** State shared by the CTR routes: the serving slot, the registry, training runs, logs and utilisation. */
export class CtrContext {
  readonly slot = new ModelSlot();
  readonly utilisation = new UtilisationTracker();
  readonly predictionLog: PredictionLog;
  readonly maxBatch: number;
  readonly maxTrainRows: number;
  served = { requests: 0, rows: 0 };
  private started: { db: Db | undefined; jobs: TrainingJobs | undefined; artifactsDir: string; log: AppContext['log'] } | undefined;
  private activation: Promise<unknown> = Promise.resolve();

  constructor(readonly options: CtrServiceOptions) {
    this.maxBatch = options.maxBatch ?? 1024;
    this.maxTrainRows = options.maxTrainRows ?? 200_000;
    this.predictionLog = new PredictionLog({ sampleRate: 0.01, maxPerRequest: 16, ...options.predictionLog }, (err) => this.started?.log.warn({ err }, 'prediction log write failed'));
  }

  get db(): Db | undefined {
    return this.started?.db;
  }

  get jobs(): TrainingJobs | undefined {
    return this.started?.jobs;
  }

  get dataDir(): string | undefined {
    return this.options.dataDir;
  }

  start(app: AppContext): void {
    const artifactsDir = resolve(this.options.artifactsDir ?? defaultArtifactsDir(app.db));
    const jobs = app.db
      ? new TrainingJobs({
          db: app.db,
          artifactsDir,
          activate: async (version) => void (await this.activate(version)),
          log: (level, message) => app.log[level](message),
        })
      : undefined;
    this.started = { db: app.db, jobs, artifactsDir, log: app.log };
  }

  /**
   * Serves a registered version: verifies and loads its artefact, marks it production (every
   * other ctr version in production becomes archived: one model serves /predict) and hot-swaps it in.
   * Activations are serialised, so two concurrent ones end with the later one serving and registered.
   */
  activate(version: ModelVersion): Promise<{ previous: string | undefined; draining: number; retired: Promise<void> }> {
    const run = this.activation.then(async () => {
      const artifact = await loadRegisteredArtifact(version);
      try {
        const db = this.db;
        if (db) {
          await setModelStatus(db, version.id, 'production');
          await db.client.modelVersion.updateMany({ where: { app: CTR_APP, status: 'production', NOT: { id: version.id } }, data: { status: 'archived' } });
        }
      } catch (e) {
        artifact.model.dispose();
        throw e;
      }
      const previous = this.slot.current?.version;
      const { retired, draining } = this.slot.swap(artifact, `v${version.id}`, version.id);
      this.started?.log.info({ version: version.id, name: version.name, number: version.version, previous, draining }, 'ctr model activated');
      return { previous, draining, retired };
    });
    this.activation = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    await this.jobs?.cancel('the service is shutting down');
    await this.activation;
    await this.predictionLog.flush();
    await this.slot.dispose();
  }
}

/** Beside the SQLite file the service uses (so a suite's data directory holds its models), else under MOE_DATA_DIR. */
function defaultArtifactsDir(db: Db | undefined): string {
  if (db?.provider === 'sqlite' && db.location.startsWith('sqlite:')) return join(dirname(db.location.slice('sqlite:'.length)), 'ctr-models');
  const config = resolveDbConfig();
  if (config.provider === 'sqlite') return join(dirname(config.file), 'ctr-models');
  return join(process.env.MOE_DATA_DIR ?? '.data', 'ctr-models');
}

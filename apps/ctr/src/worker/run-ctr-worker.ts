import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { listModelVersions, openDb, resolveDbConfig, type Db } from '@moe/db';
import {
  FileWorkerStore, HttpPushSource, LineStreamSource, NdjsonFileSource, PrismaWorkerStore, RedisStreamSource, runWorker,
  type CommitInfo, type EventSource, type Worker, type WorkerLogger, type WorkerStats, type WorkerStore,
} from '@moe/service';
import { loadCtrArtifact, type CtrArtifact } from '../artifact/model-artifact.js';
import { artifactSha256, CTR_APP, findVersion, loadRegisteredArtifact, parseVersionRef, saveAndRegister } from '../service/model-versions.js';
import type { CtrEvent } from './ctr-events.js';
import { OnlineLearner } from './online-learner.js';
import type { CtrWorkerConfig } from './worker-args.js';

export interface RunningCtrWorker {
  worker: Worker<CtrEvent, unknown>;
  learner: OnlineLearner;
  /** Where pushes go when the source is `http:<port>`. */
  pushUrl?: string;
  /** Settles when the source ended (or after stop) with the runtime's counters. */
  done: Promise<WorkerStats>;
  /** Registers the current fine-tuned model (needs the database); returns its version id. */
  publish(): Promise<number>;
  /** Stops (gracefully), closes what was opened. */
  close(): Promise<void>;
}

/** The starting model and a stable identity for it (a checkpoint made from another model is refused). */
async function openModel(config: CtrWorkerConfig, db: Db | undefined): Promise<{ artifact: CtrArtifact; base: string }> {
  if ('path' in config.model) return { artifact: await loadCtrArtifact(config.model.path), base: `sha256:${await artifactSha256(config.model.path)}` };
  if (!db) throw new Error('--model-version needs the model registry database');
  const text = config.model.version;
  const row =
    text === 'active'
      ? (await listModelVersions(db, CTR_APP)).find((v) => v.status === 'production')
      : await (async () => {
          const ref = parseVersionRef(text);
          if (!ref) throw new RangeError(`--model-version: expected active, a registry id or <name>@<version>, got '${text}'`);
          return (await findVersion(db, ref)) ?? undefined;
        })();
  if (!row) throw new Error(`--model-version ${text}: no such ctr model version in ${db.location}`);
  return { artifact: await loadRegisteredArtifact(row), base: `v${row.id}` };
}

async function openSource(config: CtrWorkerConfig): Promise<{ source: EventSource; server?: Server; pushUrl?: string }> {
  const named = { consumer: config.consumer };
  if (config.source.startsWith('file:')) return { source: new NdjsonFileSource({ path: config.source.slice('file:'.length), follow: config.follow, ...named }) };
  if (config.source === 'stdin') return { source: new LineStreamSource({ format: 'ndjson', ...named }) };
  if (config.source.startsWith('redis://')) {
    const url = new URL(config.source);
    return { source: new RedisStreamSource({ redis: `redis://${url.host}`, stream: decodeURIComponent(url.pathname.slice(1)), group: config.group, ...named }) };
  }
  const source = new HttpPushSource(named);
  const server = createServer(source.handler);
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(Number(config.source.slice('http:'.length)), '127.0.0.1', ok));
  const address = server.address();
  return { source, server, pushUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

function defaultDataDir(config: CtrWorkerConfig): string {
  const db = resolveDbConfig(config.dataDir !== undefined ? { dataDir: config.dataDir } : {});
  return db.provider === 'sqlite' ? dirname(db.file) : resolve(process.env.MOE_DATA_DIR ?? '.data');
}

/**
 * Starts the online CTR worker: the platform worker runtime reads events from the source and commits, in one
 * transaction (database) or one atomic file (`--state`), the source position with the learner's snapshot
 * (join buffer, queued rows, calibration, counters, weights by reference). A kill -9 therefore redelivers at
 * most the uncommitted events, which are applied once more from the same state, never twice.
 */
export async function runCtrWorker(config: CtrWorkerConfig, options: { db?: Db; logger?: WorkerLogger; onCommit?: (info: CommitInfo) => void } = {}): Promise<RunningCtrWorker> {
  const needsDb = !('path' in config.model) || config.statePath === undefined || config.publishEvery > 0;
  const ownDb = needsDb && !options.db ? await openDb(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}) : undefined;
  const db = options.db ?? ownDb;
  const dataDir = defaultDataDir(config);
  // What has been opened so far, released in reverse order when a later step of start-up fails.
  const opened: (() => unknown)[] = [() => ownDb?.close()];
  const releaseOpened = async () => {
    for (const release of opened.reverse()) await Promise.resolve().then(release).catch(() => undefined);
  };
  try {
    const { artifact, base } = await openModel(config, db);
    opened.push(() => artifact.model.dispose());
    let published = 0;
    const publish = async (learner: OnlineLearner): Promise<number> => {
      if (!db) throw new Error('publishing a fine-tuned model needs the model registry database');
      const name = artifact.model.config.kind;
      const dir = join(dataDir, 'ctr-models', `${name}-online-${config.consumer}-${Date.now().toString(36)}-${++published}`);
      const s = learner.stats;
      const metrics = { online_labelled: s.labelled, online_steps: s.fineTuneSteps, ...(s.pcocRaw !== null ? { online_pcoc_raw: s.pcocRaw } : {}), ...(s.pcocCalibrated !== null ? { online_pcoc_calibrated: s.pcocCalibrated } : {}) };
      return (await saveAndRegister(db, { dir, name, artifact: learner.publishable(), metrics })).id;
    };
    const learner = await OnlineLearner.create(artifact, {
      joinWindowMs: config.joinWindowMs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      embeddingLearningRate: config.embeddingLearningRate,
      calibrationWindow: config.calibrationWindow,
      weightsDir: config.weightsDir ?? (config.statePath !== undefined ? `${config.statePath}.weights` : join(dataDir, 'ctr-worker-weights', config.consumer)),
      base,
      publishEvery: config.publishEvery,
      onFineTuned: async (l) => void (await publish(l)),
    });
    opened.push(() => learner.dispose());
    const { source, server, pushUrl } = await openSource(config);
    opened.push(() => server?.close());
    const store: WorkerStore<unknown> = config.statePath !== undefined ? new FileWorkerStore({ path: config.statePath }) : new PrismaWorkerStore({ db: db!, app: CTR_APP });
    opened.push(() => store.close());
    const worker = await runWorker<CtrEvent, unknown>({
      source,
      handler: learner,
      store,
      checkpointEvery: config.checkpointEvery,
      batchSize: Math.min(200, config.checkpointEvery),
      maxInFlight: Math.max(1000, config.checkpointEvery),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onCommit ? { onCommit: options.onCommit } : {}),
    });
    let closing: Promise<void> | undefined;
    return {
      worker,
      learner,
      ...(pushUrl ? { pushUrl } : {}),
      done: worker.done,
      publish: () => publish(learner),
      close() {
        closing ??= (async () => {
          await worker.stop().catch(() => undefined);
          server?.close();
          await store.close();
          learner.dispose();
          artifact.model.dispose();
          await ownDb?.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await releaseOpened();
    throw e;
  }
}

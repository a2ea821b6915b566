import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processOwnerToken, registerModelVersion, setModelStatus, type Db, type ModelVersion, type Prisma } from '@moe/db';
import { disposeArtifact, loadBackboneArtifact, type BackboneArtifact } from '../artifact/backbone-artifact.js';
import { loadAdaptedModel, saveAdaptedModel } from '../artifact/adapted-model.js';
import { generateTiles } from '../data/generate-tiles.js';
import type { TileSet } from '../data/tile-set.js';
import type { SegmentationScores } from '../eval/confusion.js';
import { evaluateSegmentation } from '../eval/evaluate.js';
import { buildBenchmarkData, DEFAULT_SPLITS, DEFAULT_TARGET_DOMAIN, type BenchmarkSplits } from '../experiment/benchmark-data.js';
import { buildMethodModel, runMethod, DEFAULT_PROTOCOL } from '../experiment/run-method.js';
import type { MethodKind } from '../model/methods/method-kind.js';
import type { SegmentationModel } from '../model/segmentation-model.js';
import type { AdaptationMode } from '../train/fine-tune.js';

export const REMOTE_SENSING_APP = 'remote-sensing';

export interface RemoteSensingOptions {
  /** Where adapted models are written (default `.data/remote-sensing-models/` under the working directory, git-ignored). */
  artifactsDir?: string;
  /** The pretrained backbone artifact (default: the committed one). */
  backboneDir?: string;
  /** Tiles of the dashboard's labelled target sample (default 16). */
  sampleTiles?: number;
  /** Split sizes of the tiles POST /adapt generates (default 256 source, 256 target, 32 val, 64 test). */
  adaptSplits?: Partial<Pick<BenchmarkSplits, 'sourceTiles' | 'targetTiles' | 'valTiles' | 'testTiles'>>;
}

/** The model being served, with the scores the dashboard shows. */
export interface ServedModel {
  model: SegmentationModel;
  /** 'pretrained' or `v<registry id>`. */
  label: string;
  versionId?: number;
  method: MethodKind;
  /** Scores on the dashboard's labelled target sample, computed when the model was activated. */
  sample: SegmentationScores;
}

export interface AdaptJob {
  id: number;
  runId?: number;
  method: MethodKind;
  mode: AdaptationMode;
  steps: number;
  seed: number;
  status: 'running' | 'succeeded' | 'failed';
  step: number;
  loss?: number;
  validationMiou?: number;
  testMiou?: number;
  versionId?: number;
  error?: string;
}

/** sha256 of a checkpoint's manifest, which lists every file's sha256: it pins the whole artefact. */
export async function manifestSha256(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, 'manifest.json'))).digest('hex');
}

/**
 * State of the remote-sensing service: the served model (hot-swapped by replacing one reference, so a
 * request in flight finishes on the model it started with), the pretrained backbone, adaptation jobs.
 */
export class RemoteSensingContext {
  served?: ServedModel;
  artifact?: BackboneArtifact;
  readonly jobs = new Map<number, AdaptJob>();
  private nextJob = 1;
  private busy = false;
  sample?: TileSet;

  constructor(readonly options: RemoteSensingOptions = {}) {}

  get artifactsDir(): string {
    return this.options.artifactsDir ?? join(process.cwd(), '.data', 'remote-sensing-models');
  }

  async start(db: Db | undefined, log: (msg: string) => void): Promise<void> {
    this.artifact = await loadBackboneArtifact(this.options.backboneDir);
    this.sample = generateTiles(DEFAULT_TARGET_DOMAIN, 'val', this.options.sampleTiles ?? 16, this.artifact.config.backbone.imageSize, 101);
    if (db) {
      const rows = await db.client.modelVersion.findMany({ where: { app: REMOTE_SENSING_APP, status: 'production' }, orderBy: { id: 'desc' }, take: 1 });
      if (rows[0]) {
        try {
          await this.activate(rows[0]);
          return;
        } catch (e) {
          log(`remote-sensing: version ${rows[0].id} cannot be served (${e instanceof Error ? e.message : String(e)}); serving the pretrained model`);
        }
      }
    }
    await this.swap(buildMethodModel(this.artifact, 'head-only', 0), 'pretrained', undefined);
  }

  async swap(model: SegmentationModel, label: string, versionId: number | undefined): Promise<ServedModel> {
    const sample = await evaluateSegmentation(model, this.sample!);
    const previous = this.served;
    this.served = { model, label, method: model.method.kind, sample, ...(versionId !== undefined ? { versionId } : {}) };
    // The old model may still be running a request: release it once the event loop has moved on.
    if (previous) setTimeout(() => previous.model.dispose(), 5000).unref();
    return this.served;
  }

  /** Loads a registered version after checking its artefact is the registered one, and serves it. */
  async activate(row: ModelVersion): Promise<ServedModel> {
    const actual = await manifestSha256(row.artifactPath);
    if (actual !== row.sha256) throw new Error(`model version ${row.id}: artefact ${row.artifactPath} has sha256 ${actual}, the registry expects ${row.sha256}`);
    return this.swap(await loadAdaptedModel(row.artifactPath), `v${row.id}`, row.id);
  }

  /** Starts an adaptation in the background (one at a time); progress and metrics go to the registry. */
  async startAdapt(db: Db | undefined, request: { method: MethodKind; mode: AdaptationMode; steps: number; seed: number; activate: boolean }, log: (msg: string) => void): Promise<AdaptJob> {
    if (this.busy) throw new Error('an adaptation is already running');
    if (!this.artifact) throw new Error('the service has not started');
    this.busy = true;
    const job: AdaptJob = { id: this.nextJob++, method: request.method, mode: request.mode, steps: request.steps, seed: request.seed, status: 'running', step: 0 };
    try {
      if (db) {
        const run = await db.client.trainingRun.create({ data: { app: REMOTE_SENSING_APP, modelName: request.method, params: request as unknown as Prisma.InputJsonValue, owner: processOwnerToken(), heartbeatAt: new Date() } });
        job.runId = run.id;
      }
    } catch (e) {
      this.busy = false;
      throw e;
    }
    this.jobs.set(job.id, job);
    void this.runAdapt(db, job, request.activate, log).finally(() => {
      this.busy = false;
    });
    return job;
  }

  private async runAdapt(db: Db | undefined, job: AdaptJob, activate: boolean, log: (msg: string) => void): Promise<void> {
    const metrics: Prisma.TrainingMetricCreateManyInput[] = [];
    const flush = async () => {
      if (!db || job.runId === undefined) return;
      if (metrics.length) await db.client.trainingMetric.createMany({ data: metrics.splice(0) });
      await db.client.trainingRun.update({ where: { id: job.runId }, data: { heartbeatAt: new Date() } });
    };
    let pending = Promise.resolve();
    try {
      const data = buildBenchmarkData({ ...DEFAULT_SPLITS, sourceTiles: 256, targetTiles: 256, valTiles: 32, testTiles: 64, ...this.options.adaptSplits });
      // Yield between steps so requests keep being served while the adaptation runs in this process.
      const { run, model } = await runMethod(this.artifact!, data, job.method, job.mode, job.seed, { ...DEFAULT_PROTOCOL, steps: job.steps, evalEvery: Math.max(1, Math.floor(job.steps / 5)) }, (e) => {
        job.step = e.step;
        job.loss = e.loss;
        if (job.runId !== undefined) {
          if (e.step % 5 === 0 || e.step === e.steps) metrics.push({ runId: job.runId, name: 'loss', step: e.step, value: e.loss });
          if (e.validationMiou !== undefined) metrics.push({ runId: job.runId, name: 'val_miou', step: e.step, value: e.validationMiou });
        }
        if (e.validationMiou !== undefined) job.validationMiou = e.validationMiou;
        // Progress reaches the registry while the run goes on (every 20 steps), not only at the end.
        if (e.step % 20 === 0) pending = pending.then(flush).catch(() => undefined);
      });
      await pending;
      job.testMiou = run.test.miou;
      if (db && job.runId !== undefined) {
        metrics.push({ runId: job.runId, name: 'test_miou', step: job.steps, value: run.test.miou }, { runId: job.runId, name: 'test_miou_final', step: job.steps, value: run.testFinal.miou });
        await flush();
        const dir = join(this.artifactsDir, `${job.method}-${job.mode}-run${job.runId}`);
        await mkdir(this.artifactsDir, { recursive: true });
        await saveAdaptedModel(dir, model, { method: job.method, mode: job.mode, seed: job.seed, steps: job.steps, testMiou: run.test.miou, testMiouFinal: run.testFinal.miou, bestStep: run.bestStep, backboneSha256: this.artifact!.weightsSha256 });
        const version = await registerModelVersion(db, {
          app: REMOTE_SENSING_APP, name: job.method, config: model.getConfig() as unknown as Prisma.InputJsonValue,
          metrics: { testMiou: run.test.miou, testMiouFinal: run.testFinal.miou, validationMiou: run.bestValidationMiou, trainable: run.counts.trainable },
          artifactPath: dir, sha256: await manifestSha256(dir),
        });
        job.versionId = version.id;
        await db.client.trainingRun.update({ where: { id: job.runId }, data: { status: 'succeeded', finishedAt: new Date(), modelVersionId: version.id } });
        if (activate) {
          await setModelStatus(db, version.id, 'production');
          await this.swap(model, `v${version.id}`, version.id);
        } else model.dispose();
      } else if (activate) {
        await this.swap(model, `job${job.id}`, undefined);
      } else model.dispose();
      job.status = 'succeeded';
      log(`remote-sensing: adaptation job ${job.id} (${job.method}, ${job.mode}) finished, test mIoU ${run.test.miou.toFixed(4)}`);
    } catch (e) {
      job.status = 'failed';
      job.error = e instanceof Error ? e.message : String(e);
      log(`remote-sensing: adaptation job ${job.id} failed: ${job.error}`);
      await flush().catch(() => undefined);
      if (db && job.runId !== undefined) await db.client.trainingRun.update({ where: { id: job.runId }, data: { status: 'failed', error: job.error, finishedAt: new Date() } }).catch(() => undefined);
    }
  }

  stop(): void {
    this.served?.model.dispose();
    this.served = undefined;
    if (this.artifact) disposeArtifact(this.artifact);
    this.artifact = undefined;
  }
}

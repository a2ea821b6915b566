import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { openDb, type Db } from '@moe/db';
import { createService, staticApiKeyVerifier, type Service } from '@moe/service';
import { useBackend } from '@moe/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { parseTrainConfig, type TrainConfigInput } from '../train/train-config.js';
import { createCtrApp, type CtrApp } from './ctr-app.js';
import { predictRows } from './predict-rows.js';
import { TrainingBusyError } from './training-jobs.js';

const gen = { numDomains: 3, numUsers: 80, numItems: 50, domainSignal: 0.5 };
const tinyConfig: TrainConfigInput = { data: { synthetic: { rows: 1500, seed: 1, ...gen } }, model: { kind: 'mmoe', hidden: [8], numExperts: 3, tower: [4] }, training: { epochs: 1, batchSize: 256 } };
const ADMIN = 'ctr-admin-key-0123456789';
const READER = 'ctr-reader-key-0123456789';

interface RunStatus {
  status: string;
  error: string | null;
  metrics: Record<string, [number, number][]>;
  modelVersion: { id: number; status: string } | null;
}

describe('ctr service (real SQLite registry, wasm backend)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-service-'));
  const dataDir = join(dir, 'data');
  let db: Db;
  let app: CtrApp;
  let service: Service;
  let url = '';
  let orphanId = 0;
  const { rows: sample, featureConfig } = generateSynthetic({ rows: 40, seed: 7, ...gen });
  const rows = sample.map(({ click: _c, ts: _t, ...r }) => r);

  const call = (method: string, path: string, body?: unknown, key?: string, raw?: string) =>
    fetch(`${url}/api/ctr${path}`, {
      method,
      headers: { ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? { 'x-api-key': key } : {}) },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;

  async function waitForRun(runId: number): Promise<RunStatus> {
    for (;;) {
      const run = await json<RunStatus>(call('GET', `/train/${runId}`));
      if (run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    await useBackend('wasm');
    mkdirSync(dataDir);
    db = await openDb({ dataDir: join(dir, 'db') });
    // What a kill -9 during training leaves behind: a run still `running`, its owner's heartbeat long stale.
    orphanId = (await db.client.trainingRun.create({ data: { app: 'ctr', modelName: 'mmoe', params: {}, owner: 'gone/1/dead', heartbeatAt: new Date(Date.now() - 3_600_000) } })).id;
    app = createCtrApp({ artifactsDir: join(dir, 'models'), dataDir, maxBatch: 8, bootstrapConfig: tinyConfig, predictionLog: { sampleRate: 1, maxPerRequest: 4 } });
    service = createService({
      apps: [app.module],
      db,
      logger: pino({ level: 'silent' }),
      apiKeys: staticApiKeyVerifier([{ name: 'admin', secret: ADMIN }, { name: 'reader', secret: READER, scopes: ['ctr:read'] }]),
      limits: { rateLimit: false },
    });
    // onStart finds an empty registry and trains, registers and activates the default model before listening.
    ({ url } = await service.listen({ port: 0 }));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await db?.close();
  });

  it('reaps a training run left running by a crashed process at start-up, and heartbeats its own', async () => {
    const orphan = await db.client.trainingRun.findUniqueOrThrow({ where: { id: orphanId } });
    expect(orphan.status).toBe('failed');
    expect(orphan.error).toMatch(/orphaned: the process running it \(gone\/1\/dead\) stopped sending heartbeats/);
    expect(orphan.finishedAt).not.toBeNull();
    const own = await db.client.trainingRun.findFirstOrThrow({ where: { app: 'ctr', NOT: { id: orphanId } } });
    expect(own.owner).toBe(app.context.jobs?.owner);
    expect(own.heartbeatAt).not.toBeNull();
    expect(own.status).toBe('succeeded');
  });

  it('trains, stores and registers the default model at start-up when the registry is empty', async () => {
    const models = await json<{ serving: { version: string; kind: string }; versions: { id: number; status: string; metrics: { click_auc: number; perDomainAuc: Record<string, number>; expertLoad: { rowLabels: string[] } } }[] }>(call('GET', '/models'));
    expect(models.versions).toHaveLength(1);
    const [v] = models.versions;
    expect(v.status).toBe('production');
    expect(models.serving).toMatchObject({ version: `v${v.id}`, kind: 'mmoe' });
    expect(v.metrics.click_auc).toBeGreaterThan(0.5);
    expect(Object.keys(v.metrics.perDomainAuc).length).toBeGreaterThan(0);
    expect(v.metrics.expertLoad.rowLabels).toEqual(['click']);
    const run = await db.client.trainingRun.findFirstOrThrow({ where: { app: 'ctr', NOT: { id: orphanId } }, include: { metrics: true } });
    expect(run).toMatchObject({ status: 'succeeded', modelVersionId: v.id });
    const names = new Set(run.metrics.map((m) => m.name));
    for (const n of ['train_loss', 'epoch_train_loss', 'valid_logloss', 'test_auc/click']) expect(names).toContain(n);
  });

  it('predicts a probability per task, records latency and gate load, and samples into the prediction log', async () => {
    const res = await call('POST', '/predict', { rows: rows.slice(0, 5) });
    expect(res.status).toBe(200);
    const body = await json<{ model: string; predictions: { domain: string; probabilities: { click: number } }[] }>(res);
    expect(body.predictions).toHaveLength(5);
    body.predictions.forEach((p, i) => {
      expect(p.domain).toBe(rows[i].domain);
      expect(p.probabilities.click).toBeGreaterThan(0);
      expect(p.probabilities.click).toBeLessThan(1);
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`moe_inference_duration_seconds_count\\{app="ctr",model="${body.model}"\\} [1-9]`));
    expect(metrics).toMatch(/moe_expert_load\{app="ctr",layer="gate\/click",expert="2"\} 0\.\d+/);
    await app.context.predictionLog.flush();
    const logged = await db.client.predictionLog.findMany({ where: { app: 'ctr' } });
    expect(logged).toHaveLength(4); // maxPerRequest
    expect(logged[0].requestId).toMatch(/:0$/);
    expect((logged[0].output as { probabilities: { click: number } }).probabilities.click).toBeCloseTo(body.predictions[0].probabilities.click, 6);
  });

  it('answers 400 naming the row and field for an unknown domain, a missing field, a wrong type and non-finite numbers; 413 past the batch limit', async () => {
    const bad: [string | Record<string, unknown>, string, RegExp][] = [
      [{ ...rows[0], domain: 'nowhere' }, 'body.rows.1.domain', /unknown domain 'nowhere'/],
      [{ ...rows[0], price: undefined }, 'body.rows.1.price', /missing field 'price'/],
      [{ ...rows[0], activity: 'lots' }, 'body.rows.1.activity', /expected a finite number, got string "lots"/],
      [{ ...rows[0], activity: 'NaN' }, 'body.rows.1.activity', /expected a finite number, got string "NaN"/],
      [{ ...rows[0], user: { id: 3 } }, 'body.rows.1.user', /expected a string, a finite number/],
      [JSON.stringify({ ...rows[0], price: 0 }).replace('"price":0', '"price":1e999'), 'body.rows.1.price', /got Infinity/],
    ];
    for (const [row, path, message] of bad) {
      const raw = typeof row === 'string' ? `{"rows":[${JSON.stringify(rows[1])},${row}]}` : undefined;
      const res = await call('POST', '/predict', raw === undefined ? { rows: [rows[1], row] } : undefined, undefined, raw);
      const err = (await json<{ error: { code: string; path: string; message: string } }>(res)).error;
      expect(res.status, path).toBe(400);
      expect(err.path).toBe(path);
      expect(err.message).toMatch(message);
    }
    const tooMany = await call('POST', '/predict', { rows: Array(9).fill(rows[0]) });
    expect(tooMany.status).toBe(413);
    expect((await json<{ error: { message: string } }>(tooMany)).error.message).toMatch(/at most 8 rows per request, got 9/);
    expect((await call('POST', '/predict', { rows: [] })).status).toBe(400);
    expect((await call('POST', '/predict', { rows: [rows[0]], extra: 1 })).status).toBe(400);
    // Ids past the registry's 32-bit columns are refused naming the parameter (PostgreSQL would fail the query).
    const hugeRun = await call('GET', '/train/2147483648');
    expect(hugeRun.status).toBe(400);
    expect((await json<{ error: { path: string } }>(hugeRun)).error.path).toBe('params.runId');
    const hugeVersion = await call('POST', '/models/9999999999/activate', undefined, ADMIN);
    expect(hugeVersion.status).toBe(400);
    expect((await json<{ error: { path: string } }>(hugeVersion)).error.path).toBe('params.version');
  });

  it('requires an API key with the right scope to train or activate', async () => {
    expect((await call('POST', '/train', { config: tinyConfig })).status).toBe(401);
    expect((await call('POST', '/train', { config: tinyConfig }, 'wrong-key-0123456789')).status).toBe(401);
    expect((await call('POST', '/train', { config: tinyConfig }, READER)).status).toBe(403);
    expect((await call('POST', '/models/1/activate')).status).toBe(401);
    expect((await call('POST', '/models/1/activate', undefined, READER)).status).toBe(403);
    const badRef = await call('POST', '/models/..%2Fx/activate', undefined, ADMIN);
    expect(badRef.status).toBe(400);
    expect((await call('POST', '/models/999/activate', undefined, ADMIN)).status).toBe(404);
  });

  it('refuses training data outside the data directory and client-chosen output paths', async () => {
    writeFileSync(join(dir, 'outside.ndjson'), JSON.stringify(sample[0]) + '\n');
    for (const path of ['../outside.ndjson', join(dir, 'outside.ndjson'), '/etc/passwd', 'missing.ndjson']) {
      const res = await call('POST', '/train', { config: { ...tinyConfig, data: { path }, features: featureConfig } }, ADMIN);
      expect(res.status, path).toBe(400);
      expect((await json<{ error: { path: string } }>(res)).error.path).toBe('body.config.data.path');
    }
    const out = await call('POST', '/train', { config: { ...tinyConfig, out: join(dir, 'x') } }, ADMIN);
    expect(out.status).toBe(400);
    expect((await json<{ error: { path: string } }>(out)).error.path).toBe('body.config.out');
    const kind = await call('POST', '/train', { config: { ...tinyConfig, model: { kind: 'nope' } } }, ADMIN);
    expect((await json<{ error: { path: string } }>(kind)).error.path).toBe('body.config.model.kind');
  });

  it('trains from a file in the data directory in the background, stores progress and registers the version', async () => {
    const fileRows = generateSynthetic({ rows: 1500, seed: 2, ...gen }).rows;
    writeFileSync(join(dataDir, 'train.ndjson'), fileRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const res = await call('POST', '/train', { config: { ...tinyConfig, model: { kind: 'adaptdhm', clusters: 2, hidden: [8] }, data: { path: 'train.ndjson' }, features: featureConfig }, activate: false }, ADMIN);
    expect(res.status).toBe(202);
    const { runId } = await json<{ runId: number }>(res);
    expect((await call('POST', '/train', { config: tinyConfig }, ADMIN)).status).toBe(409); // one run at a time
    const run = await waitForRun(runId);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.modelVersion).toMatchObject({ status: 'staging' });
    expect(run.metrics.valid_logloss).toHaveLength(1);
    expect(run.metrics['test_auc/click'][0][1]).toBeGreaterThan(0.5);
    // Not activated: the default model still serves.
    const models = await json<{ serving: { kind: string }; versions: unknown[] }>(call('GET', '/models'));
    expect(models.serving.kind).toBe('mmoe');
    expect(models.versions).toHaveLength(2);
  });

  it('hot-swaps versions under concurrent load with zero failed requests and frees old models once drained', async () => {
    const versions = await json<{ versions: { id: number; name: string; version: number }[] }>(call('GET', '/models'));
    const [adapt, mmoe] = versions.versions; // newest first
    const tensorsBefore = tf.memory().numTensors;
    const statuses: number[] = [];
    const servedBy = new Set<string>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        const res = await call('POST', '/predict', { rows: rows.slice(0, 8) });
        statuses.push(res.status);
        servedBy.add((await json<{ model: string }>(res)).model);
      }
    };
    const clients = Array.from({ length: 6 }, client);
    // A request held in flight across the swaps (on wasm, real requests never yield between lease and release).
    const held = app.context.slot.lease()!;
    const draining: number[] = [];
    for (const target of [adapt, mmoe, adapt, mmoe]) {
      await new Promise((r) => setTimeout(r, 60));
      const ref = target.name === 'adaptdhm' ? `${target.name}@${target.version}` : String(target.id);
      const res = await call('POST', `/models/${ref}/activate`, undefined, ADMIN);
      expect(res.status).toBe(200);
      draining.push((await json<{ draining: number }>(res)).draining);
    }
    await new Promise((r) => setTimeout(r, 60));
    stop = true;
    await Promise.all(clients);
    expect(draining[0]).toBeGreaterThanOrEqual(1);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(servedBy).toEqual(new Set([`v${adapt.id}`, `v${mmoe.id}`]));
    // The held request still completes on the model it started with, long after it was swapped out.
    const late = await predictRows(held.served, rows.slice(0, 3));
    expect(late.predictions).toHaveLength(3);
    held.release();
    // Back on the first model: every swapped-out model was disposed after its requests drained.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const registry = await db.client.modelVersion.findMany({ where: { app: 'ctr', status: 'production' } });
    expect(registry.map((v) => v.id)).toEqual([mmoe.id]);
  });

  it('keeps serving while a run trains (on its own thread), and cancels it as on shutdown', async () => {
    const big = { ...tinyConfig, data: { synthetic: { rows: 20_000, seed: 4, ...gen } }, training: { epochs: 50, batchSize: 64, patience: 50 } };
    const { runId } = await json<{ runId: number }>(call('POST', '/train', { config: big }, ADMIN));
    for (let i = 0; i < 200 && !app.context.jobs!.progressOf(runId); i++) await new Promise((r) => setTimeout(r, 50));
    expect(app.context.jobs!.progressOf(runId)).toBeDefined(); // training steps are under way…
    const t0 = performance.now();
    expect((await call('POST', '/predict', { rows: rows.slice(0, 2) })).status).toBe(200);
    console.info(`predict answered in ${(performance.now() - t0).toFixed(1)} ms while run ${runId} trained`);
    expect((await json<RunStatus>(call('GET', `/train/${runId}`))).status).toBe('running'); // …and still are
    await app.context.jobs!.cancel('test');
    const run = await json<RunStatus>(call('GET', `/train/${runId}`));
    expect(run.status).toBe('cancelled');
    expect(run.error).toBe('cancelled: test');
    expect(run.modelVersion).toBeNull();
  });

  it('serves dashboard data: per-domain AUC, gate utilisation per task and training curves', async () => {
    await call('POST', '/predict', { rows: rows.slice(0, 8) });
    const dash = await json<{ status: string; heatmaps: { title: string; rowLabels: string[] }[]; charts: { title: string; series: unknown[] }[] }>(call('GET', '/dashboard'));
    expect(dash.status).toMatch(/^serving mmoe v\d+/);
    const titles = dash.heatmaps.map((h) => h.title).join('\n');
    expect(titles).toMatch(/test AUC per domain/);
    expect(titles).toMatch(/gate weight per expert, by task/);
    expect(titles).toMatch(/expert utilisation at evaluation/);
    expect(dash.charts.map((c) => c.title)).toEqual(['training loss by step', 'validation logloss by epoch']);
    expect(dash.charts[1].series.length).toBeGreaterThanOrEqual(2);
  });

  it('starts one run at a time even when two starts race while the first run row is being created', async () => {
    const jobs = app.context.jobs!;
    const config = parseTrainConfig(tinyConfig);
    const results = await Promise.allSettled([jobs.start(config, { activate: false }), jobs.start(config, { activate: false })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(TrainingBusyError);
    await jobs.cancel('test');
    expect(jobs.runningRunId).toBeUndefined();
  });
});

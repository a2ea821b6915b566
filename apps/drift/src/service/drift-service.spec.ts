import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openDb, type Db } from '@moe/db';
import { createService, dashboardDataSchema, type Service } from '@moe/service';
import { SeaGenerator, type Instance } from '@moe/stream';
import { createDriftApp } from '../app-module.js';
import { METHODS } from '../model/methods.js';
import { PrequentialSession } from './prequential-session.js';

const ELEC_HEADER = `@relation elec
@attribute date numeric
@attribute day {1,2,3,4,5,6,7}
@attribute period numeric
@attribute nswprice numeric
@attribute class {UP,DOWN}
@data
`;

const SEA_SCHEMA = {
  attributes: [
    { name: 'attrib1', type: 'numeric' },
    { name: 'attrib2', type: 'numeric' },
    { name: 'attrib3', type: 'numeric' },
    { name: 'class', type: 'nominal', values: ['groupA', 'groupB'] },
  ],
  classAttribute: 'class',
};

let dir: string;
let db: Db;
let service: Service;
let url: string;
let key: string;
let narrowKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drift-service-spec-'));
  db = await openDb({ dataDir: dir, env: {} });
  key = (await createApiKey(db, { name: 'writer' })).secret;
  narrowKey = (await createApiKey(db, { name: 'reader', scopes: ['ctr:train'] })).secret;
  service = createService({
    apps: [createDriftApp({ dataDir: dir, maxStreams: 6, maxBatch: 800 })],
    db,
    logger: pino({ level: 'silent' }),
    limits: { rateLimit: false },
  });
  url = (await service.listen()).url;
});

afterAll(async () => {
  await service.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; path?: string } };
}

async function call(method: string, path: string, options: { json?: unknown; raw?: string; key?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.key !== null) headers['x-api-key'] = options.key ?? key;
  let body: string | undefined;
  if (options.raw !== undefined || options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw ?? JSON.stringify(options.json);
  }
  const res = await fetch(`${url}/api/drift${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}

function seaBatch(gen: SeaGenerator, n: number): Instance[] {
  return Array.from({ length: n }, () => gen.nextInstance());
}
const rows = (batch: Instance[]) => batch.map((i) => Array.from(i.x));
const labels = (batch: Instance[]) => batch.map((i) => (i.y === 0 ? 'groupA' : 'groupB'));

async function createStream(method: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call('POST', '/streams', { json: { method, schema: SEA_SCHEMA, seed: 7, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

function expectField(r: Reply, status: number, path: string, message?: RegExp): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error?.path).toBe(path);
  if (message) expect(r.body.error?.message).toMatch(message);
}

describe('drift REST service', () => {
  it('creates learners from a JSON schema or an ARFF header, lists and deletes them', async () => {
    const id = await createStream('ht', { id: 'sea-ht' });
    expect(id).toBe('sea-ht');
    const arff = await call('POST', '/streams', { json: { method: 'driftmoe-data', schema: ELEC_HEADER } });
    expect(arff.status).toBe(201);
    expect(arff.body.classes).toEqual(['UP', 'DOWN']);
    const list = await call('GET', '/streams', { key: null });
    expect((list.body.streams as { id: string }[]).map((s) => s.id)).toEqual(expect.arrayContaining(['sea-ht', arff.body.id]));
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: SEA_SCHEMA, id: 'sea-ht' } }), 409, 'body.id');
    expect((await call('DELETE', `/streams/${arff.body.id as string}`)).status).toBe(200);
    expectField(await call('GET', `/streams/${arff.body.id as string}/status`), 404, 'params.id');
    expect((await call('DELETE', '/streams/sea-ht')).status).toBe(200);
  });

  it('serves every method of the learning library', async () => {
    const gen = new SeaGenerator({ function: 3, instanceRandomSeed: 1 });
    for (const method of METHODS) {
      const id = await createStream(method);
      const batch = seaBatch(gen, 30);
      const r = await call('POST', `/streams/${id}/learn`, { json: { instances: rows(batch), labels: labels(batch) } });
      expect(r.status, `${method}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.predictions).toHaveLength(30);
      const status = await call('GET', `/streams/${id}/status`);
      expect(status.body).toMatchObject({ method, instancesSeen: 30 });
      await call('DELETE', `/streams/${id}`);
    }
  });

  it('refuses bad create requests naming the field', async () => {
    expectField(await call('POST', '/streams', { json: { method: 'moa', schema: SEA_SCHEMA } }), 400, 'body.method');
    const noValues = { ...SEA_SCHEMA, attributes: [SEA_SCHEMA.attributes[0], { name: 'c', type: 'nominal' }] };
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: { ...noValues, classAttribute: 'c' } } }), 400, 'body.schema.attributes.1.values', /needs its list of values/);
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: { ...SEA_SCHEMA, classAttribute: 'nope' } } }), 400, 'body.schema.classAttribute');
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: { ...SEA_SCHEMA, classAttribute: 'attrib1' } } }), 400, 'body.schema.classAttribute', /must be nominal/);
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: { attributes: [{ name: 'a', type: 'text' }], classAttribute: 'a' } } }), 400, 'body.schema.attributes.0.type');
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: '@relation r\n@attribute s string\n@attribute c {a,b}\n' } }), 400, 'body.schema', /type 'string' is not supported/);
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: 42 } }), 400, 'body.schema');
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: SEA_SCHEMA, id: '../etc' } }), 400, 'body.id');
    expectField(await call('POST', '/streams', { json: { method: 'ht', schema: SEA_SCHEMA, extra: 1 } }), 400, 'body.extra');
  });

  it('needs an API key with the drift:write scope to change learners (401 / 403)', async () => {
    const id = await createStream('ht');
    const learn = { instances: [[1, 2, 3]], labels: ['groupA'] };
    expect((await call('POST', '/streams', { json: { method: 'ht', schema: SEA_SCHEMA }, key: null })).status).toBe(401);
    expect((await call('POST', `/streams/${id}/learn`, { json: learn, key: null })).status).toBe(401);
    expect((await call('POST', `/streams/${id}/learn`, { json: learn, key: 'moe_not_a_real_key' })).status).toBe(401);
    expect((await call('POST', `/streams/${id}/learn`, { json: learn, key: narrowKey })).status).toBe(403);
    expect((await call('POST', `/streams/${id}/snapshot`, { key: null })).status).toBe(401);
    expect((await call('POST', `/streams/${id}/restore`, { json: { snapshotId: 1 }, key: narrowKey })).status).toBe(403);
    expect((await call('DELETE', `/streams/${id}`, { key: null })).status).toBe(401);
    expect((await call('DELETE', `/streams/${id}`, { key: narrowKey })).status).toBe(403);
    // Predictions and reads are open.
    expect((await call('POST', `/streams/${id}/predict`, { json: { instances: [[1, 2, 3]] }, key: null })).status).toBe(200);
    expect((await call('GET', `/streams/${id}/status`, { key: null })).status).toBe(200);
    await call('DELETE', `/streams/${id}`);
  });

  it('validates predict batches against the schema, naming row and field', async () => {
    const r = await call('POST', '/streams', { json: { method: 'ht', schema: ELEC_HEADER } });
    const id = r.body.id as string;
    const ok = await call('POST', `/streams/${id}/predict`, { json: { instances: [[0.1, '3', 0.5, 0.2], { date: 0.2, day: 4, period: 0.1, nswprice: null }] } });
    expect(ok.status).toBe(200);
    expect(ok.body.predictions).toHaveLength(2);
    const bad = (instances: unknown[]) => call('POST', `/streams/${id}/predict`, { json: { instances } });
    expectField(await bad([[0.1, '3', 0.5, 0.2], [0.1, '9', 0.5, 0.2]]), 400, 'body.instances.1.1', /unknown value "9" for nominal attribute 'day'/);
    expectField(await bad([[0.1, '3', 0.5]]), 400, 'body.instances.0', /expected 4 values .* got 3/);
    expectField(await bad([[0.1, '3', 'high', 0.2]]), 400, 'body.instances.0.2', /expected a finite number .* got "high"/);
    expectField(await bad([{ date: 0.2, day: '4', period: 0.1 }]), 400, 'body.instances.0.nswprice', /missing/);
    expectField(await bad([{ date: 0.2, day: '4', period: 0.1, nswprice: 1, wind: 3 }]), 400, 'body.instances.0.wind', /unknown attribute/);
    expectField(await bad([7]), 400, 'body.instances.0');
    expectField(await bad([{ date: 0.2, day: '4', period: 0.1, nswprice: 1, constructor: 1 }]), 400, 'body.instances.0.constructor', /unknown attribute/);
    // JSON has no NaN or Infinity; 1e400 parses to Infinity and must still be refused.
    const inf = await call('POST', `/streams/${id}/predict`, { raw: '{"instances":[[0.1,"3",1e400,0.2]]}' });
    expectField(inf, 400, 'body.instances.0.2', /finite number .* got Infinity/);
    expectField(await call('POST', `/streams/${id}/predict`, { raw: '{"instances":[[0.1,"3",NaN,0.2]]}' }), 400, 'body');
    expectField(await call('POST', `/streams/${id}/predict`, { json: { instances: [] } }), 400, 'body.instances');
    expectField(await bad(Array.from({ length: 801 }, () => [0.1, '3', 0.5, 0.2])), 413, 'body.instances', /at most 800/);
    expectField(await call('POST', '/streams/missing/predict', { json: { instances: [[1]] } }), 404, 'params.id');
    await call('DELETE', `/streams/${id}`);
  });

  it('learns test-then-train: the predictions are the ones made before learning, as a local learner makes them', async () => {
    const id = await createStream('driftmoe-data');
    const local = PrequentialSession.create('driftmoe-data', new SeaGenerator({ function: 1, instanceRandomSeed: 3 }).schema, { seed: 7 });
    const gen = new SeaGenerator({ function: 1, instanceRandomSeed: 3 });
    for (let b = 0; b < 3; b++) {
      const batch = seaBatch(gen, 300);
      const r = await call('POST', `/streams/${id}/learn`, { json: { instances: rows(batch), labels: labels(batch) } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const expected = batch.map((i) => local.testThenTrain(i.x, i.y)).map((c) => (c === 0 ? 'groupA' : 'groupB'));
      expect(r.body.predictions).toEqual(expected);
      expect(r.body.instancesSeen).toBe(300 * (b + 1));
      expect(r.body.accuracy).toBeCloseTo(local.correct / local.seen, 12);
    }
    const status = await call('GET', `/streams/${id}/status`);
    expect(status.body.instancesSeen).toBe(900);
    const usage = status.body.expertUsage as { counts: number[]; share: number[] };
    expect(usage.counts).toHaveLength(12);
    expect(usage.counts.reduce((a, b) => a + b, 0)).toBe(900);
    const evaluated = status.body.evaluated as { window: { accuracy: number; kappa: number }; cumulative: { instances: number } };
    expect(evaluated.cumulative.instances).toBe(900);
    expect(evaluated.window.accuracy).toBeGreaterThan(0.6);
    expect(Number.isFinite(evaluated.window.kappa)).toBe(true);
    // Class inside each row instead of a labels array (object and trailing-array forms).
    const inline = await call('POST', `/streams/${id}/learn`, { json: { instances: [{ attrib1: 1, attrib2: 2, attrib3: 3, class: 'groupA' }, [5, 6, 7, 'groupB']] } });
    expect(inline.status, JSON.stringify(inline.body)).toBe(200);
    expectField(await call('POST', `/streams/${id}/learn`, { json: { instances: [[1, 2, 3]], labels: ['groupA', 'groupB'] } }), 400, 'body.labels', /one label per instance/);
    expectField(await call('POST', `/streams/${id}/learn`, { json: { instances: [[1, 2, 3], [1, 2, 3]], labels: ['groupA', 'groupC'] } }), 400, 'body.labels.1', /unknown value "groupC"/);
    expectField(await call('POST', `/streams/${id}/learn`, { json: { instances: [[1, 2, 3]] } }), 400, 'body.instances.0', /missing label/);
    expectField(await call('POST', `/streams/${id}/learn`, { json: { instances: [[1, 2, 3]], labels: [null] } }), 400, 'body.labels.0', /label is required/);
    // A refused batch learnt nothing.
    expect((await call('GET', `/streams/${id}/status`)).body.instancesSeen).toBe(902);
    await call('DELETE', `/streams/${id}`);
  });

  it('snapshot → restore gives a learner with identical predictions on the next 500 instances', async () => {
    const id = await createStream('driftmoe-data');
    const gen = new SeaGenerator({ function: 2, instanceRandomSeed: 11 });
    // 700 instances: two Adam steps plus a partial router batch, and trees that have split.
    for (const n of [400, 300]) {
      const batch = seaBatch(gen, n);
      expect((await call('POST', `/streams/${id}/learn`, { json: { instances: rows(batch), labels: labels(batch) } })).status).toBe(200);
    }
    const snap = await call('POST', `/streams/${id}/snapshot`);
    expect(snap.status, JSON.stringify(snap.body)).toBe(201);
    const snapshotId = snap.body.snapshotId as number;
    const row = await db.client.modelVersion.findUniqueOrThrow({ where: { id: snapshotId } });
    expect(row.app).toBe('drift');
    expect(row.name).toBe(id);
    expect(row.artifactPath.startsWith(join(dir, 'drift', 'snapshots'))).toBe(true);
    expect(row.sha256).toBe(snap.body.sha256);
    expect((await call('GET', `/streams/${id}/snapshots`)).body.snapshots).toEqual([expect.objectContaining({ snapshotId, version: 1, instancesSeen: 700 })]);

    const restored = await call('POST', '/streams/sea-copy/restore', { json: { snapshotId } });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.instancesSeen).toBe(700);
    // The windowed/kappa evaluator comes back with the snapshot instead of restarting at 0.
    const evaluated = async (stream: string) => (await call('GET', `/streams/${stream}/status`)).body.evaluated as { window: { instances: number } };
    const before = await evaluated(id);
    expect(before.window.instances).toBe(700);
    expect(await evaluated('sea-copy')).toEqual(before);
    for (let b = 0; b < 5; b++) {
      const batch = seaBatch(gen, 100);
      const p1 = await call('POST', `/streams/${id}/predict`, { json: { instances: rows(batch) } });
      const p2 = await call('POST', '/streams/sea-copy/predict', { json: { instances: rows(batch) } });
      expect(p1.status).toBe(200);
      expect(p1.body.predictions).toHaveLength(100);
      expect(p2.body.predictions).toEqual(p1.body.predictions);
      const l1 = await call('POST', `/streams/${id}/learn`, { json: { instances: rows(batch), labels: labels(batch) } });
      const l2 = await call('POST', '/streams/sea-copy/learn', { json: { instances: rows(batch), labels: labels(batch) } });
      expect([l1.status, l2.status]).toEqual([200, 200]);
      expect(l2.body.predictions).toEqual(l1.body.predictions);
      expect(l2.body.accuracy).toBe(l1.body.accuracy);
    }
    expect(await evaluated('sea-copy')).toEqual(await evaluated(id));
    // Restoring over a live learner replaces it with the snapshot's state.
    expect((await call('POST', `/streams/${id}/restore`, { json: { snapshotId } })).body.instancesSeen).toBe(700);

    expectField(await call('POST', `/streams/${id}/restore`, { json: { snapshotId: 999_999 } }), 404, 'body.snapshotId');
    expectField(await call('POST', `/streams/${id}/restore`, { json: { snapshotId: 'one' } }), 400, 'body.snapshotId');
    const text = readFileSync(row.artifactPath, 'utf8');
    writeFileSync(row.artifactPath, text.replace('"seen":700', '"seen":701'));
    expectField(await call('POST', `/streams/${id}/restore`, { json: { snapshotId } }), 409, 'body.snapshotId', /fails its checksum/);
    await call('DELETE', `/streams/${id}`);
    await call('DELETE', '/streams/sea-copy');
  });

  it('snapshot → restore is exact for every method', async () => {
    for (const method of METHODS) {
      const id = await createStream(method);
      const gen = new SeaGenerator({ function: 4, instanceRandomSeed: 8 });
      const first = seaBatch(gen, 300);
      await call('POST', `/streams/${id}/learn`, { json: { instances: rows(first), labels: labels(first) } });
      const snap = await call('POST', `/streams/${id}/snapshot`);
      expect(snap.status, `${method}: ${JSON.stringify(snap.body)}`).toBe(201);
      const copy = `${id}-copy`;
      expect((await call('POST', `/streams/${copy}/restore`, { json: { snapshotId: snap.body.snapshotId } })).status).toBe(200);
      const next = seaBatch(gen, 200);
      const a = await call('POST', `/streams/${id}/learn`, { json: { instances: rows(next), labels: labels(next) } });
      const b = await call('POST', `/streams/${copy}/learn`, { json: { instances: rows(next), labels: labels(next) } });
      expect(a.body.predictions, method).toHaveLength(200);
      expect(b.body.predictions, method).toEqual(a.body.predictions);
      await call('DELETE', `/streams/${id}`);
      await call('DELETE', `/streams/${copy}`);
    }
  });

  it('stores drift events and feeds the dashboard', async () => {
    const id = await createStream('ht', { id: 'flip' });
    const gen = new SeaGenerator({ function: 1, instanceRandomSeed: 5 });
    // The concept flips after 1600 instances (every label inverted): the windowed accuracy collapses.
    for (let b = 0; b < 5; b++) {
      const batch = seaBatch(gen, 800).map((i) => (b >= 2 ? { x: i.x, y: 1 - i.y } : i));
      const r = await call('POST', `/streams/${id}/learn`, { json: { instances: rows(batch), labels: labels(batch) } });
      expect(r.status).toBe(200);
    }
    const stored = await db.client.driftEvent.findMany({ where: { app: 'drift', stream: id } });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored[0]).toMatchObject({ detector: 'accuracy-drop', kind: 'drift' });
    expect(stored[0].position).toBeGreaterThan(1600);
    expect(stored[0].position).toBeLessThan(2400);
    const status = await call('GET', `/streams/${id}/status`);
    expect((status.body.driftDetections as { recent: unknown[] }).recent.length).toBe(stored.length);
    const dash = await call('GET', '/dashboard', { key: null });
    expect(dash.status).toBe(200);
    const parsed = dashboardDataSchema.parse(dash.body);
    expect(parsed.charts?.[0]?.series.find((s) => s.name.startsWith('flip'))?.points.length).toBe(40);
    expect(parsed.stats?.some((s) => s.label === 'drift: flip')).toBe(true);
    await call('DELETE', `/streams/${id}`);
  });

  it('bounds the number of live learners (429)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await createStream('ht'));
    const r = await call('POST', '/streams', { json: { method: 'ht', schema: SEA_SCHEMA } });
    expect(r.status).toBe(429);
    expect(r.body.error?.message).toMatch(/at most 6 live learners/);
    for (const id of ids) await call('DELETE', `/streams/${id}`);
    expect((await call('GET', '/streams')).body.streams).toEqual([]);
  });
});

/**
 * The whole suite on PostgreSQL, end to end: a real PostgreSQL server (Debian `postgresql`, started by the
 * test), the suite in its own process with `DATABASE_URL` pointing at it. Start-up applies the PostgreSQL
 * migrations, trains and registers the default CTR model there, serves predictions; a drift stream learns,
 * is snapshotted into the registry and restored; a training run left `running` by a dead process is reaped;
 * SIGTERM stops everything cleanly. Every row is then read back from PostgreSQL directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSynthetic } from '@moe/ctr';
import { createApiKey, loadMigrations, openDb, startPostgresServer, type Db, type PostgresServer } from '@moe/db';
import { startChildService, type ChildService } from '@moe/load';
import { SeaGenerator } from '@moe/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let pg: PostgresServer | undefined;
let databaseUrl: string;
let db: Db;
let dataDir: string;
let suite: ChildService | undefined;
let apiKey: string;
let orphanId: number;

const SEA_SCHEMA = {
  attributes: [
    { name: 'attrib1', type: 'numeric' },
    { name: 'attrib2', type: 'numeric' },
    { name: 'attrib3', type: 'numeric' },
    { name: 'class', type: 'nominal', values: ['groupA', 'groupB'] },
  ],
  classAttribute: 'class',
};

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${suite!.url}${path}`, {
    method,
    headers: { 'x-api-key': apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  // Fails (does not skip) without PostgreSQL: the message names the Debian package to install.
  pg = await startPostgresServer();
  databaseUrl = await pg.createDatabase('suite_e2e');
  db = await openDb({ url: databaseUrl });
  apiKey = (await createApiKey(db, { name: 'e2e' })).secret;
  // What a crashed earlier process left: a CTR run still `running`, its heartbeat an hour old.
  orphanId = (await db.client.trainingRun.create({ data: { app: 'ctr', modelName: 'mmoe', params: {}, owner: 'old-host/7/dead', heartbeatAt: new Date(Date.now() - 3_600_000) } })).id;
  dataDir = mkdtempSync(join(tmpdir(), 'moe-suite-pg-'));
  suite = await startChildService(join(repoRoot, 'apps', 'suite', 'src', 'main.ts'), {
    cwd: repoRoot,
    env: { PORT: '0', MOE_DATA_DIR: dataDir, MOE_PRINT_READY: '1', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, MOE_STRICT_APPS: '1', MOE_RATE_LIMIT: 'off' },
    timeoutMs: 180_000,
  });
}, 240_000);

afterAll(async () => {
  const code = await suite?.stop();
  await db?.close();
  pg?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  expect(code, 'the suite exits cleanly on SIGTERM').toBe(0);
});

describe('the suite on PostgreSQL (DATABASE_URL)', () => {
  it('applied the PostgreSQL migrations and is ready with the database reachable', async () => {
    const applied = await db.client.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
    expect(applied.map((r) => r.migration_name)).toEqual(loadMigrations('postgresql').map((m) => m.name));
    const ready = await fetch(`${suite!.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('reaped the orphaned training run, trained the default CTR model into the PostgreSQL registry and serves it', async () => {
    const orphan = await db.client.trainingRun.findUniqueOrThrow({ where: { id: orphanId } });
    expect(orphan.status).toBe('failed');
    expect(orphan.error).toMatch(/orphaned/);
    const versions = await db.client.modelVersion.findMany({ where: { app: 'ctr' } });
    expect(versions.filter((v) => v.status === 'production')).toHaveLength(1);
    const run = await db.client.trainingRun.findFirstOrThrow({ where: { app: 'ctr', status: 'succeeded' }, include: { metrics: true } });
    expect(run.modelVersionId).toBe(versions[0].id);
    expect(run.metrics.length).toBeGreaterThan(0);

    const { rows } = generateSynthetic({ rows: 6, seed: 3, numDomains: 4, numUsers: 300, numItems: 200, domainSignal: 0.5 });
    const predicted = await call('POST', '/api/ctr/predict', { rows: rows.map(({ click: _c, ts: _t, ...r }) => r) });
    expect(predicted.status, JSON.stringify(predicted.body)).toBe(200);
    const predictions = predicted.body.predictions as { probabilities: { click: number } }[];
    expect(predictions).toHaveLength(6);
    for (const p of predictions) expect(p.probabilities.click).toBeGreaterThan(0);
  });

  it('learns a drift stream, stores its snapshot in PostgreSQL and restores it with identical predictions', async () => {
    expect((await call('POST', '/api/drift/streams', { id: 'sea-pg', method: 'driftmoe-data', schema: SEA_SCHEMA, seed: 3 })).status).toBe(201);
    const gen = new SeaGenerator({ function: 1, instanceRandomSeed: 5 });
    const batch = (n: number) => Array.from({ length: n }, () => gen.nextInstance());
    const learnt = batch(600);
    const learn = await call('POST', '/api/drift/streams/sea-pg/learn', { instances: learnt.map((i) => Array.from(i.x)), labels: learnt.map((i) => (i.y === 0 ? 'groupA' : 'groupB')) });
    expect(learn.status, JSON.stringify(learn.body)).toBe(200);
    const snap = await call('POST', '/api/drift/streams/sea-pg/snapshot');
    expect(snap.status, JSON.stringify(snap.body)).toBe(201);
    const row = await db.client.modelVersion.findUniqueOrThrow({ where: { id: snap.body.snapshotId as number } });
    expect(row).toMatchObject({ app: 'drift', name: 'sea-pg', sha256: snap.body.sha256 });
    expect((await call('POST', '/api/drift/streams/sea-pg-copy/restore', { snapshotId: row.id })).status).toBe(200);
    const probe = batch(200).map((i) => Array.from(i.x));
    const a = await call('POST', '/api/drift/streams/sea-pg/predict', { instances: probe });
    const b = await call('POST', '/api/drift/streams/sea-pg-copy/predict', { instances: probe });
    expect(b.body.predictions).toEqual(a.body.predictions);
    const status = await call('GET', '/api/drift/streams/sea-pg-copy/status');
    expect((status.body.evaluated as { window: { instances: number } }).window.instances).toBe(600);
  });
});

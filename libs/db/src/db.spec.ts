import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations, createApiKey, DbError, findApiKey, isUniqueViolation, listModelVersions, loadMigrations, migrationsDir, openDb,
  registerModelVersion, resolveDbConfig, revokeApiKey, setModelStatus, startPostgresServer, type Db, type DbProvider, type PostgresServer,
  heartbeatTrainingRuns, reapOrphanedTrainingRuns,
} from './index.js';
import { sqliteMigrationTarget } from './migration-target-sqlite.js';

const tmp = mkdtempSync(join(tmpdir(), 'moe-db-spec-'));
let pgServer: PostgresServer | undefined;
let dbCounter = 0;

beforeAll(async () => {
  // Fails (does not skip) without PostgreSQL: the message names the Debian package to install.
  pgServer = await startPostgresServer();
});
afterAll(() => {
  pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function freshDb(provider: DbProvider): Promise<Db> {
  dbCounter++;
  if (provider === 'sqlite') return openDb({ url: `file:${join(tmp, `t${dbCounter}`, 'moe.db')}` });
  if (!pgServer) throw new Error('PostgreSQL test server did not start');
  return openDb({ url: await pgServer.createDatabase(`t${dbCounter}`) });
}

const sha = 'ab'.repeat(32);

describe('generated schemas and clients', () => {
  it('are up to date with prisma/models.prisma (run libs/db/scripts/generate.mjs after editing it)', () => {
    const prisma = fileURLToPath(new URL('../prisma/', import.meta.url));
    const models = readFileSync(join(prisma, 'models.prisma'), 'utf8');
    for (const provider of ['sqlite', 'postgresql']) {
      expect(readFileSync(join(prisma, provider, 'schema.prisma'), 'utf8').endsWith(models), `prisma/${provider}/schema.prisma`).toBe(true);
      const stamp = readFileSync(fileURLToPath(new URL(`./generated/${provider}/models.sha256`, import.meta.url)), 'utf8').trim();
      expect(stamp, `src/generated/${provider} was generated from another models.prisma`).toBe(createHash('sha256').update(models).digest('hex'));
    }
  });
});

describe('resolveDbConfig', () => {
  it('defaults to an SQLite file in the data directory and honours MOE_DATA_DIR', () => {
    expect(resolveDbConfig({ env: { MOE_DATA_DIR: '/srv/moe' } })).toEqual({ provider: 'sqlite', file: '/srv/moe/moe.db' });
    expect(resolveDbConfig({ env: {} })).toMatchObject({ provider: 'sqlite', file: expect.stringMatching(/\.data\/moe\.db$/) });
  });
  it('picks PostgreSQL for postgres URLs and refuses unknown schemes, naming the variable', () => {
    expect(resolveDbConfig({ env: { DATABASE_URL: 'postgresql://u:p@h/db' } })).toEqual({ provider: 'postgresql', url: 'postgresql://u:p@h/db' });
    expect(() => resolveDbConfig({ env: { DATABASE_URL: 'mysql://u:secret@h/db' } })).toThrow(/DATABASE_URL must start with .*got 'mysql:\/\/u:\*\*\*@h\/db'/);
  });
});

describe.each(['sqlite', 'postgresql'] as const)('@moe/db on %s', (provider) => {
  it('applies the committed migrations once and records them like prisma migrate deploy', async () => {
    const db = await freshDb(provider);
    try {
      const files = loadMigrations(provider);
      expect(db.migrations.applied).toEqual(files.map((f) => f.name));
      const rows = await db.client.$queryRawUnsafe<{ migration_name: string; checksum: string; applied_steps_count: number | bigint; finished_at: unknown }[]>(
        'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations"',
      );
      expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.applied_steps_count)])).toEqual(files.map((f) => [f.name, f.checksum, 1]));
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('round-trips every model: JSON, bytes, dates, relations and cascades', async () => {
    const db = await freshDb(provider);
    const c = db.client;
    try {
      const mv = await registerModelVersion(db, { app: 'ctr', name: 'mmoe', config: { experts: 4, towers: [8, 1] }, metrics: { auc: 0.71 }, artifactPath: 'models/ctr/mmoe/1', sha256: sha });
      expect(mv).toMatchObject({ version: 1, status: 'staging', config: { experts: 4, towers: [8, 1] } });
      expect(mv.createdAt).toBeInstanceOf(Date);
      const run = await c.trainingRun.create({ data: { app: 'ctr', modelName: 'mmoe', params: { lr: 0.01 }, modelVersionId: mv.id } });
      await c.trainingMetric.createMany({ data: [0, 1, 2].map((step) => ({ runId: run.id, name: 'loss', step, value: 1 / (step + 1) })) });
      const pred = await c.predictionLog.create({ data: { app: 'ctr', modelVersionId: mv.id, requestId: 'r1', input: { x: [1, 2] }, output: { p: 0.3 }, latencyMs: 1.25 } });
      await c.feedback.create({ data: { app: 'ctr', predictionId: pred.id, label: { click: 1 } } });
      await c.streamCheckpoint.create({ data: { app: 'drift', stream: 'elec', consumer: 'w1', offset: '1024', state: new Uint8Array([0, 255, 7]), eventsApplied: 10 } });
      await c.driftEvent.create({ data: { app: 'drift', stream: 'elec', position: 4500, detector: 'adwin', kind: 'drift', details: { width: 120 } } });
      await c.deadLetter.create({ data: { app: 'drift', stream: 'elec', eventId: 'e9', payload: '{bad', reason: 'invalid JSON' } });
      await c.processedEvent.create({ data: { scope: 'elec/w', eventId: 'e1' } });

      const metrics = await c.trainingMetric.findMany({ where: { runId: run.id }, orderBy: { step: 'asc' } });
      expect(metrics.map((m) => m.value)).toEqual([1, 0.5, 1 / 3]);
      const cp = await c.streamCheckpoint.findUniqueOrThrow({ where: { stream_consumer: { stream: 'elec', consumer: 'w1' } } });
      expect([...(cp.state ?? [])]).toEqual([0, 255, 7]);
      expect(await c.feedback.findFirstOrThrow({ include: { prediction: true } })).toMatchObject({ label: { click: 1 }, prediction: { requestId: 'r1', output: { p: 0.3 } } });
      expect(await c.driftEvent.findFirstOrThrow()).toMatchObject({ position: 4500, details: { width: 120 } });

      // A second insert of the same processed event is a unique violation: the idempotent-apply guard.
      const dup = await c.processedEvent.create({ data: { scope: 'elec/w', eventId: 'e1' } }).catch((e: unknown) => e);
      expect(isUniqueViolation(dup)).toBe(true);

      // Deleting the run cascades to its metric series; deleting the model version nulls its references.
      await c.trainingRun.delete({ where: { id: run.id } });
      expect(await c.trainingMetric.count()).toBe(0);
      await c.modelVersion.delete({ where: { id: mv.id } });
      expect((await c.predictionLog.findFirstOrThrow()).modelVersionId).toBeNull();
    } finally {
      await db.close();
    }
  });

  it('numbers model versions per app/name and keeps one production version', async () => {
    const db = await freshDb(provider);
    try {
      const base = { app: 'drift', name: 'driftmoe', config: {}, metrics: { accuracy: 0.8 }, artifactPath: 'a', sha256: sha };
      const [a, b] = await Promise.all([registerModelVersion(db, base), registerModelVersion(db, base)]);
      expect([a.version, b.version].sort()).toEqual([1, 2]);
      expect((await registerModelVersion(db, { ...base, name: 'ht' })).version).toBe(1);
      await setModelStatus(db, a.id, 'production');
      await setModelStatus(db, b.id, 'production');
      const list = await listModelVersions(db, 'drift', { name: 'driftmoe' });
      expect(Object.fromEntries(list.map((m) => [m.version, m.status]))).toEqual({ [a.version]: 'archived', [b.version]: 'production' });
      await expect(registerModelVersion(db, { ...base, sha256: 'nothex' })).rejects.toThrow(/'sha256' must be 64 lowercase hex characters; got 'nothex'/);
    } finally {
      await db.close();
    }
  });

  it('reaps running training runs whose owner stopped heartbeating, and only those', async () => {
    const db = await freshDb(provider);
    try {
      const now = new Date('2026-12-03T10:00:00Z');
      const ago = (s: number) => new Date(now.getTime() - s * 1000);
      const run = (data: { owner?: string; heartbeatAt?: Date; startedAt?: Date; status?: string; app?: string }) =>
        db.client.trainingRun.create({ data: { app: 'ctr', modelName: 'mmoe', params: {}, ...data } });
      const dead = await run({ owner: 'host/41/aa', heartbeatAt: ago(120) });
      const alive = await run({ owner: 'host/42/bb', heartbeatAt: ago(5) });
      const legacy = await run({ startedAt: ago(3600) }); // written before heartbeats existed
      const finished = await run({ owner: 'host/41/aa', heartbeatAt: ago(120), status: 'succeeded' });
      const otherApp = await run({ owner: 'host/41/aa', heartbeatAt: ago(120), app: 'drift' });
      const reaped = await reapOrphanedTrainingRuns(db, { app: 'ctr', staleAfterMs: 30_000, reaper: 'test', now });
      expect(reaped.sort()).toEqual([dead.id, legacy.id].sort());
      const byId = async (id: number) => db.client.trainingRun.findUniqueOrThrow({ where: { id } });
      expect((await byId(dead.id)).status).toBe('failed');
      expect((await byId(dead.id)).error).toMatch(/orphaned: the process running it \(host\/41\/aa\) stopped sending heartbeats .* reaped by test/);
      expect((await byId(dead.id)).finishedAt).toEqual(now);
      for (const r of [alive, finished, otherApp]) expect((await byId(r.id)).status).toBe(r.status);
      // A second pass finds nothing; a heartbeat keeps a run alive.
      expect(await reapOrphanedTrainingRuns(db, { app: 'ctr', staleAfterMs: 30_000, now })).toEqual([]);
      expect(await heartbeatTrainingRuns(db, 'host/42/bb', new Date(now.getTime() + 60_000))).toBe(1);
      expect(await reapOrphanedTrainingRuns(db, { app: 'ctr', staleAfterMs: 30_000, now: new Date(now.getTime() + 61_000) })).toEqual([]);
      await expect(reapOrphanedTrainingRuns(db, { app: 'ctr', staleAfterMs: 0 })).rejects.toThrow(/staleAfterMs must be > 0, got 0/);
    } finally {
      await db.close();
    }
  });

  it('stores only the hash of API keys and honours revocation', async () => {
    const db = await freshDb(provider);
    try {
      const key = await createApiKey(db, { name: 'ci', scopes: ['ctr:train'] });
      expect(key.secret).toMatch(/^moe_[A-Za-z0-9_-]{43}$/);
      const row = await db.client.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(JSON.stringify(row)).not.toContain(key.secret);
      expect((await findApiKey(db, key.secret))?.scopes).toEqual(['ctr:train']);
      expect(await findApiKey(db, `${key.secret}x`)).toBeNull();
      await revokeApiKey(db, key.id);
      expect(await findApiKey(db, key.secret)).toBeNull();
      await expect(revokeApiKey(db, key.id)).rejects.toBeInstanceOf(DbError);
    } finally {
      await db.close();
    }
  });
});

describe('migrator safety (SQLite)', () => {
  it('refuses a database whose applied migration was edited afterwards', async () => {
    const dir = join(tmp, 'edited');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'moe.db');
    await (await openDb({ url: `file:${file}` })).close();
    // Same migration name, different bytes: as if someone edited an applied migration.
    const migDir = join(dir, 'migrations');
    cpSync(migrationsDir('sqlite'), migDir, { recursive: true });
    const first = loadMigrations('sqlite', migDir)[0];
    if (!first) throw new Error('no migrations committed');
    writeFileSync(join(migDir, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`);
    const target = sqliteMigrationTarget(file);
    await expect(applyMigrations(target, loadMigrations('sqlite', migDir))).rejects.toMatchObject({ code: 'migration_modified' });
    await target.close();
  });

  it('rolls back a failing migration entirely and reports which one failed', async () => {
    const dir = join(tmp, 'failing');
    const migDir = join(dir, 'migrations');
    mkdirSync(join(migDir, '20990101000000_bad'), { recursive: true });
    cpSync(migrationsDir('sqlite'), migDir, { recursive: true });
    writeFileSync(join(migDir, '20990101000000_bad', 'migration.sql'), 'CREATE TABLE "Ok" (id INTEGER);\nCREATE TABLE broken syntax here;\n');
    const file = join(dir, 'moe.db');
    const target = sqliteMigrationTarget(file);
    await expect(applyMigrations(target, loadMigrations('sqlite', migDir))).rejects.toThrow(/migration '20990101000000_bad' failed on sqlite/);
    await target.close();
    const raw = new Database(file);
    // The run is one transaction: neither the bad migration's first table nor the earlier ones remain.
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('Ok', 'ModelVersion')`).all()).toEqual([]);
    raw.close();
  });

  it('lets concurrent openers on PostgreSQL migrate exactly once', async () => {
    if (!pgServer) throw new Error('PostgreSQL test server did not start');
    const url = await pgServer.createDatabase('concurrent');
    const dbs = await Promise.all([openDb({ url }), openDb({ url }), openDb({ url })]);
    expect(dbs.map((d) => d.migrations.applied.length).sort()).toEqual([0, 0, loadMigrations('postgresql').length]);
    await Promise.all(dbs.map((d) => d.close()));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    expect((await c.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).rows[0]).toEqual({ n: loadMigrations('postgresql').length });
    await c.end();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, startPostgresServer, type Db, type PostgresServer } from '@moe/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MalformedEventError } from './errors.js';
import { NdjsonFileSource } from './sources/ndjson-file-source.js';
import { PrismaWorkerStore, type PrismaTx } from './stores/prisma-worker-store.js';
import type { EventHandler } from './types.js';
import { runWorker } from './worker.js';

interface Label {
  id: string;
  label: number;
}

/** Writes a Feedback row per event through the transaction and keeps a label histogram as learner state. */
class LabelSink implements EventHandler<Label, PrismaTx> {
  histogram: Record<string, number> = {};
  constructor(private readonly failAt?: string) {}
  decode(value: unknown): Label {
    const v = value as { id?: unknown; label?: unknown };
    if (typeof v.label !== 'number') throw new MalformedEventError(`field label: expected a number, got ${JSON.stringify(v.label)}`, 'label');
    return { id: String(v.id), label: v.label };
  }
  async apply(e: Label, tx: PrismaTx): Promise<void> {
    await tx.feedback.create({ data: { app: 'worker-spec', eventId: e.id, label: e.label } });
    if (e.id === this.failAt) throw new Error(`simulated failure at ${e.id}`);
    this.histogram[e.label] = (this.histogram[e.label] ?? 0) + 1;
  }
  snapshot(): string {
    return JSON.stringify(this.histogram);
  }
  restore(state: string | undefined): void {
    this.histogram = state ? (JSON.parse(state) as Record<string, number>) : {};
  }
}

const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `l${i}`, label: i % 2 }));
lines.splice(10, 0, 'not json');
lines.splice(20, 0, JSON.stringify({ id: 'bad', label: 'x' }));

let pg: PostgresServer | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moe-prisma-store-'));
  await writeFile(join(dir, 'labels.ndjson'), lines.join('\n') + '\n');
});
afterAll(async () => {
  pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe.each(['sqlite', 'postgresql'] as const)('PrismaWorkerStore on %s', (provider) => {
  let db: Db;
  beforeAll(async () => {
    if (provider === 'sqlite') db = await openDb({ dataDir: join(dir, 'sqlite'), env: {} });
    else {
      pg = await startPostgresServer();
      db = await openDb({ url: await pg.createDatabase('worker_store'), env: {} });
    }
  }, 120_000);
  afterAll(() => db?.close());

  const run = (handler: LabelSink) =>
    runWorker({ source: new NdjsonFileSource({ path: join(dir, 'labels.ndjson') }), handler, store: new PrismaWorkerStore({ db, app: 'worker-spec' }), batchSize: 4, checkpointEvery: 8 });

  it('commits effects, processed ids, dead letters and checkpoint together; a failed commit leaves no trace', async () => {
    const failing = new LabelSink('l20');
    await expect((await run(failing)).done).rejects.toThrow('simulated failure at l20');
    // Commits of 8 records: two made it (16 records, 15 events + 1 dead letter); the third rolled back whole.
    expect(await db.client.feedback.count({ where: { app: 'worker-spec' } })).toBe(15);
    const cp = await db.client.streamCheckpoint.findUniqueOrThrow({ where: { stream_consumer: { stream: 'file:labels.ndjson', consumer: 'default' } } });
    expect(cp.eventsApplied).toBe(15);
    expect(JSON.parse(Buffer.from(cp.state!).toString('utf8'))).toEqual({ 0: 8, 1: 7 });

    const resumed = new LabelSink();
    const stats = await (await run(resumed)).done;
    expect(stats).toMatchObject({ applied: 15, deadLettered: 1, duplicates: 0 });
    expect(resumed.histogram).toEqual({ 0: 15, 1: 15 });
    const rows = await db.client.feedback.findMany({ where: { app: 'worker-spec' }, select: { eventId: true } });
    expect(rows.map((r) => r.eventId).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `l${i}`).sort());
    const letters = await db.client.deadLetter.findMany({ where: { app: 'worker-spec' }, orderBy: { id: 'asc' } });
    expect(letters.map((l) => [l.stream, l.reason])).toEqual([
      ['file:labels.ndjson', expect.stringMatching(/^labels\.ndjson:11: invalid JSON/)],
      ['file:labels.ndjson', 'labels.ndjson:21: field label: expected a number, got "x"'],
    ]);
  });

  it('skips events already applied when a lost checkpoint makes the source replay them', async () => {
    await db.client.streamCheckpoint.deleteMany({ where: { stream: 'file:labels.ndjson' } });
    const replay = new LabelSink();
    const stats = await (await run(replay)).done;
    expect(stats).toMatchObject({ applied: 0, duplicates: 32, deadLettered: 0 });
    expect(await db.client.feedback.count({ where: { app: 'worker-spec' } })).toBe(30);
    expect(await db.client.deadLetter.count({ where: { app: 'worker-spec' } })).toBe(2);
  });

  it('prunes processed ids older than a horizon, and only those', async () => {
    const store = new PrismaWorkerStore({ db, app: 'worker-spec' });
    expect(await store.pruneProcessed('file:labels.ndjson', new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await store.pruneProcessed('file:labels.ndjson', new Date(Date.now() + 1000))).toBe(32);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MalformedEventError } from './errors.js';
import { RedisStreamSource } from './sources/redis-stream-source.js';
import { FileWorkerStore } from './stores/file-worker-store.js';
import { startRedisServer, type RedisTestServer } from './testing/redis-server.js';
import type { EventHandler } from './types.js';
import { runWorker } from './worker.js';

/** Counts events per key; its state travels in the checkpoint. */
class KeyCounter implements EventHandler<{ id: string; key: string }, undefined> {
  counts: Record<string, number> = {};
  decode(value: unknown): { id: string; key: string } {
    const v = value as { id?: unknown; key?: unknown };
    if (typeof v.key !== 'string') throw new MalformedEventError(`field key: expected a string, got ${JSON.stringify(v.key)}`, 'key');
    return { id: String(v.id), key: v.key };
  }
  apply(e: { key: string }): void {
    this.counts[e.key] = (this.counts[e.key] ?? 0) + 1;
  }
  snapshot(): string {
    return JSON.stringify(this.counts);
  }
  restore(state: string | undefined): void {
    this.counts = state ? (JSON.parse(state) as Record<string, number>) : {};
  }
}

let server: RedisTestServer;
let redis: Redis;
let dir: string;
let stream: string;
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moe-redis-worker-'));
  stream = `events-${++n}`;
  return () => rm(dir, { recursive: true, force: true });
});

async function add(count: number, from = 0): Promise<void> {
  const pipe = redis.pipeline();
  for (let i = from; i < from + count; i++) pipe.xadd(stream, '*', 'data', JSON.stringify({ id: `e${i}`, key: `k${i % 4}` }));
  await pipe.exec();
}

const source = (consumer: string, extra: Partial<ConstructorParameters<typeof RedisStreamSource>[0]> = {}): RedisStreamSource =>
  new RedisStreamSource({ redis: server.url, stream, group: 'g', consumer, blockMs: 50, ...extra });

async function drain(worker: { stats: { applied: number; deadLettered: number } }, want: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (worker.stats.applied + worker.stats.deadLettered < want) {
    if (Date.now() > deadline) throw new Error(`only ${worker.stats.applied + worker.stats.deadLettered} of ${want} events handled`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RedisStreamSource', () => {
  it('consumes through a consumer group, acknowledges after commit and dead-letters malformed entries', async () => {
    await add(40);
    await redis.xadd(stream, '*', 'data', '{"id":"x1",');
    await redis.xadd(stream, '*', 'data', JSON.stringify({ id: 'x2', key: 7 }));
    await add(10, 40);
    const learner = new KeyCounter();
    const store = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const worker = await runWorker({ source: source('c1'), handler: learner, store, batchSize: 8 });
    await drain(worker, 52);
    await worker.stop();
    expect(learner.counts).toEqual({ k0: 13, k1: 13, k2: 12, k3: 12 });
    const letters = await store.readDeadLetters();
    expect(letters.map((l) => l.reason)).toEqual([expect.stringMatching(/field data: invalid JSON/), expect.stringMatching(/field key: expected a string, got 7$/)]);
    expect(letters[1]!.eventId).toBe('x2');
    const pending = (await redis.xpending(stream, 'g')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('re-reads its own unacknowledged entries first after a restart', async () => {
    await add(20);
    const crashed = source('c1');
    await crashed.open();
    const taken = await crashed.read(12);
    expect(taken).toHaveLength(12);
    await crashed.close(); // read, never acknowledged: a crash
    const again = source('c1');
    await again.open();
    const reread = await again.read(100);
    expect(reread?.map((r) => r.deliveryId)).toEqual(taken?.map((r) => r.deliveryId));
    expect((await again.read(100))?.length).toBe(8);
    await again.close();
  });

  it("takes over a crashed consumer's idle entries with XAUTOCLAIM and applies each once", async () => {
    await add(30);
    const crashed = source('dead');
    await crashed.open();
    expect(await crashed.read(10)).toHaveLength(10);
    await crashed.close();
    const learner = new KeyCounter();
    const live = source('live', { claimIdleMs: 100, claimIntervalMs: 50 });
    const worker = await runWorker({ source: live, handler: learner, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 5 });
    await drain(worker, 30);
    await worker.stop();
    // At least the dead consumer's 10; under load the live one may also re-claim its own slow entries.
    expect(live.claimed).toBeGreaterThanOrEqual(10);
    expect(await redis.xpending(stream, 'g', '-', '+', 100, 'dead')).toEqual([]);
    expect(Object.values(learner.counts).reduce((a, b) => a + b, 0)).toBe(30);
    const pending = (await redis.xpending(stream, 'g')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('names the field at fault in its options', () => {
    expect(() => new RedisStreamSource({ redis: server.url, stream: '', group: 'g', consumer: 'c' })).toThrow('RedisStreamSource stream: expected a non-empty string, got ""');
  });
});

describe('RedisStreamSource.open failures', () => {
  it('closes both of its connections when the group cannot be created', async () => {
    await redis.set(stream, 'not a stream');
    const clients = async () => String(await redis.client('LIST')).trim().split('\n').length;
    const before = await clients();
    const source = new RedisStreamSource({ redis: server.url, stream, group: 'g', consumer: 'c' });
    await expect(source.open()).rejects.toThrow(/WRONGTYPE/);
    for (let i = 0; i < 40 && (await clients()) > before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await clients()).toBe(before);
  });
});

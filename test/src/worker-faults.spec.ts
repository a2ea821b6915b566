/**
 * Fault test of the worker runtime: worker processes consume a Redis stream of 12,000 events (plus malformed
 * ones) through a consumer group, writing one Feedback row per event in SQLite, while the kill loop kill -9s
 * them at random moments (12 times; two consumers for part of it, so one takes over the other's pending
 * entries with XAUTOCLAIM). Afterwards every event's row exists exactly once and the dead letters are exactly
 * the malformed events.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '@moe/db';
import { startRedisServer, type RedisTestServer } from '@moe/service/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillFaultStream, type FaultStream } from './support/redis-fault-stream.js';

const GOOD = 12_000;
const MALFORMED = 24;
const STREAM = 'labels';
const APP = 'fault-test';
const SCOPE = `redis:${STREAM}/workers`;
const tsx = [process.execPath, '--conditions=@moe/source', '--import', 'tsx'];

let redisServer: RedisTestServer;
let redis: Redis;
let dataDir: string;
let db: Db;
let events: FaultStream;

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url);
  dataDir = await mkdtemp(join(tmpdir(), 'moe-worker-faults-'));
  db = await openDb({ dataDir, env: {} });
  events = await fillFaultStream(redis, STREAM, GOOD, MALFORMED);
});

afterAll(async () => {
  await db?.close();
  await redis?.quit();
  await redisServer?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const workerCommand = (consumer: string): string[] => [
  ...tsx, 'test/src/support/redis-feedback-worker.ts',
  '--redis', redisServer.url, '--stream', STREAM, '--consumer', consumer, '--data-dir', dataDir,
  '--claim-idle-ms', '500', '--batch-size', '10',
];

interface ProcessResult {
  code: number | null;
  lines: string[];
}

function runProcess(argv: string[]): { done: Promise<ProcessResult>; terminate(): void } {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<ProcessResult>((resolve) => child.once('exit', (code) => resolve({ code, lines: output.split('\n') })));
  return { done, terminate: () => child.kill('SIGTERM') };
}

async function killLoop(consumer: string, times: number, seed: number): Promise<{ kills: number; lines: string[] }> {
  const loop = runProcess([
    ...tsx, 'tools/faults/src/kill-loop.ts',
    '--times', String(times), '--min-ms', '50', '--max-ms', '700', '--ready', '"ready":true', '--seed', String(seed),
    '--', ...workerCommand(consumer),
  ]);
  const { code, lines } = await loop.done;
  const summary = lines.map((l) => /^\{"killLoop":(.*)\}$/.exec(l)?.[1]).find((s) => s !== undefined);
  if (code !== 0 || !summary) throw new Error(`kill loop for ${consumer} failed (code ${code}):\n${lines.join('\n')}`);
  return { kills: (JSON.parse(summary) as { kills: number }).kills, lines };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('worker under kill -9', () => {
  it('applies every event exactly once and dead-letters exactly the malformed ones', { timeout: 150_000 }, async () => {
    // One consumer killed 6 times, then two at once killed 3 times each: c2 starts first so that c1's entries,
    // left pending by its last kill, sit idle past the claim threshold and c2 takes them over.
    const alone = await killLoop('c1', 6, 1);
    const c2 = killLoop('c2', 3, 2);
    await new Promise((r) => setTimeout(r, 1500));
    const pair = await Promise.all([c2, killLoop('c1', 3, 3)]);
    const kills = alone.kills + pair[0].kills + pair[1].kills;
    const output = [...alone.lines, ...pair[0].lines, ...pair[1].lines];

    // Then both run undisturbed until everything is applied, and stop gracefully on SIGTERM.
    const finals = ['c1', 'c2'].map((c) => runProcess(workerCommand(c)));
    await until('all events processed', async () => (await db.client.processedEvent.count({ where: { scope: SCOPE } })) === GOOD + MALFORMED, 60_000);
    for (const f of finals) f.terminate();
    const exits = await Promise.all(finals.map((f) => f.done));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    output.push(...exits.flatMap((e) => e.lines));

    expect(kills).toBeGreaterThanOrEqual(10);
    const claimed = output.filter((l) => /"claimed":[1-9]/.test(l));
    expect(claimed.length, 'some consumer took over pending entries with XAUTOCLAIM').toBeGreaterThan(0);

    const rows = await db.client.feedback.findMany({ where: { app: APP }, select: { eventId: true } });
    expect(rows.length).toBe(GOOD);
    const ids = rows.map((r) => r.eventId!);
    expect(new Set(ids).size).toBe(GOOD);
    expect([...ids].sort()).toEqual([...events.goodIds].sort());

    const letters = await db.client.deadLetter.findMany({ where: { app: APP }, select: { eventId: true, reason: true } });
    expect(letters.map((l) => l.eventId).sort()).toEqual([...events.malformedIds].sort());
    for (const l of letters) expect(l.reason).toMatch(/invalid JSON|field label: expected an integer, got "x"/);

    const pending = (await redis.xpending(STREAM, 'workers')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
    const stats = exits.flatMap((e) => e.lines).filter((l) => l.includes('"stopped":true'));
    expect(stats).toHaveLength(2);
  });
});

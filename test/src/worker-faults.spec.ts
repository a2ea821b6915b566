/**
 * Fault test of the worker runtime: worker processes consume a Redis stream of 12,000 events (plus malformed
 * ones) through a consumer group, writing one Feedback row per event in SQLite (@moe/db), while the kill loop
 * kill -9s them at random moments, 12 times; for part of it two consumers run, so one takes over the other's
 * pending entries with XAUTOCLAIM. Afterwards every event's row exists exactly once, the dead letters are
 * exactly the malformed events, and nothing is left pending in the group.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '@moe/db';
import { runKillLoop } from '@moe/faults';
import { startRedisServer, type RedisTestServer } from '@moe/service/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillFaultStream, type FaultStream } from './support/redis-fault-stream.js';

const GOOD = 12_000;
const MALFORMED = 24;
const STREAM = 'labels';
const APP = 'fault-test';
const SCOPE = `redis:${STREAM}/workers`;
const SEED = Number(process.env.MOE_FAULT_SEED ?? Date.now() % 1_000_000);
const tsxArgs = ['--conditions=@moe/source', '--import', 'tsx'];

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
  events = await fillFaultStream(redis, STREAM, GOOD, MALFORMED, SEED);
});

afterAll(async () => {
  await db?.close();
  await redis?.quit();
  await redisServer?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Small commits while being killed (many kill points between commits), larger ones to finish quickly. */
const workerArgs = (consumer: string, batchSize: number): string[] => [
  ...tsxArgs, 'test/src/support/redis-feedback-worker.ts',
  '--redis', redisServer.url, '--stream', STREAM, '--consumer', consumer, '--data-dir', dataDir,
  '--claim-idle-ms', '500', '--batch-size', String(batchSize),
];

async function killLoop(consumer: string, times: number, seed: number, output: string[]): Promise<number> {
  const report = await runKillLoop({
    command: process.execPath,
    args: workerArgs(consumer, 10),
    times,
    minDelayMs: 50,
    maxDelayMs: 1000,
    readyPattern: /"ready":true/,
    seed,
    onOutput: (line) => output.push(line),
  }).done;
  expect(report.unplannedExits, output.slice(-20).join('\n')).toEqual([]);
  return report.kills;
}

function runWorkerProcess(consumer: string): { done: Promise<{ code: number | null; lines: string[] }>; terminate(): void } {
  const child = spawn(process.execPath, workerArgs(consumer, 100), { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr.on('data', (c: Buffer) => (text += c.toString()));
  const done = new Promise<{ code: number | null; lines: string[] }>((resolve) => child.once('exit', (code) => resolve({ code, lines: text.split('\n') })));
  return { done, terminate: () => child.kill('SIGTERM') };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe(`worker under kill -9 (seed ${SEED})`, () => {
  it('applies every event exactly once and dead-letters exactly the malformed ones', { timeout: 180_000 }, async () => {
    const output: string[] = [];
    const t0 = Date.now();
    const processed = (): Promise<number> => db.client.processedEvent.count({ where: { scope: SCOPE } });
    // One consumer killed 4 times; then two, killed 4 times each. c2 starts first, so the entries c1's last kill
    // left pending sit idle past the claim threshold and c2 takes them over (XAUTOCLAIM).
    let kills = await killLoop('c1', 4, SEED + 1, output);
    const afterAlone = await processed();
    const c2 = killLoop('c2', 4, SEED + 2, output);
    await new Promise((r) => setTimeout(r, 1500));
    kills += (await Promise.all([c2, killLoop('c1', 4, SEED + 3, output)])).reduce((a, b) => a + b, 0);
    const afterPair = await processed();
    const killPhasesMs = Date.now() - t0;

    // Then both run undisturbed until everything is applied, and stop gracefully on SIGTERM.
    const finals = ['c1', 'c2'].map(runWorkerProcess);
    try {
      await until('every event processed', async () => (await processed()) === GOOD + MALFORMED, 90_000);
    } finally {
      // Also when waiting timed out: a failed test must not leave the two workers running.
      for (const f of finals) f.terminate();
    }
    const exits = await Promise.all(finals.map((f) => f.done));
    expect(exits.map((e) => e.code), exits.map((e) => e.lines.slice(-20).join('\n')).join('\n---\n')).toEqual([0, 0]);
    output.push(...exits.flatMap((e) => e.lines));
    console.log(
      `kills ${kills} in ${killPhasesMs} ms; events processed after the single-consumer phase ${afterAlone}, after the pair ${afterPair}; ` +
        `all ${GOOD + MALFORMED} after ${Date.now() - t0} ms`,
    );

    expect(kills).toBeGreaterThanOrEqual(10);
    expect(afterAlone, 'the single consumer made progress between kills').toBeGreaterThan(0);
    expect(afterAlone, 'the kills landed while there was work to interrupt').toBeLessThan(GOOD);
    expect(output.some((l) => /"claimed":[1-9]/.test(l)), 'a consumer took over pending entries with XAUTOCLAIM').toBe(true);

    const rows = await db.client.feedback.findMany({ where: { app: APP }, select: { eventId: true } });
    expect(rows.length).toBe(GOOD);
    const ids = rows.map((r) => r.eventId!);
    expect(new Set(ids).size).toBe(GOOD);
    expect(ids.sort()).toEqual([...events.goodIds].sort());

    const letters = await db.client.deadLetter.findMany({ where: { app: APP }, select: { eventId: true, reason: true } });
    expect(letters.map((l) => l.eventId).sort()).toEqual([...events.malformedIds].sort());
    for (const l of letters) expect(l.reason).toMatch(/field data: invalid JSON|field label: expected an integer, got "x"/);

    const pending = (await redis.xpending(STREAM, 'workers')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
    expect(output.filter((l) => l.includes('"stopped":true'))).toHaveLength(2);
  });
});

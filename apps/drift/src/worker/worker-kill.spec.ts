import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@moe/db';
import { spawnWorkerChild, startRedisServer, type RedisTestServer, type WorkerChild } from '@moe/service/testing';
import { readArff, SeaGenerator } from '@moe/stream';
import { PrequentialSession, type SessionState } from '../service/prequential-session.js';
import { decodeState, encodeState } from '../service/state-codec.js';
import { startDriftWorker, summarize } from './run-drift-worker.js';
import { parseWorkerArgs } from './worker-args.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const LENGTH = 2400;
const FLIP_AT = 1200;
const REDIS_KEY = 'sea-flip';

let dir: string;
let arffPath: string;
let headerPath: string;
let db: Db;
let redisServer: RedisTestServer;

/** How each source is named to the worker, and the stream name its checkpoint and events are stored under. */
interface SourceCase {
  readonly name: string;
  readonly stream: string;
  args(): string[];
  /** Extra arguments for the final in-process run, so that it ends when the source is exhausted. */
  finalArgs(): string[];
}

const SOURCES: readonly SourceCase[] = [
  { name: 'ARFF file', stream: 'file:sea-flip.arff', args: () => ['--source', `file:${arffPath}`], finalArgs: () => [] },
  {
    name: 'Redis stream (consumer group)',
    stream: 'redis-sea-flip',
    args: () => ['--source', `${redisServer.url}/${REDIS_KEY}`, '--schema', headerPath, '--stream-name', 'redis-sea-flip'],
    finalArgs: () => ['--stop-when-idle-ms', '1500'],
  },
];

/** SEA (function 1) with every label inverted from FLIP_AT on: a concept drift the accuracy monitor sees. */
async function writeStream(path: string, redis: Redis): Promise<void> {
  const gen = new SeaGenerator({ function: 1, instanceRandomSeed: 4 });
  const header = ['@relation sea-flip', '@attribute a1 numeric', '@attribute a2 numeric', '@attribute a3 numeric', '@attribute class {groupA,groupB}', '@data'];
  const lines = [...header];
  const pipeline = redis.pipeline();
  for (let i = 0; i < LENGTH; i++) {
    const { x, y } = gen.nextInstance();
    const label = i >= FLIP_AT ? 1 - y : y;
    const className = label === 0 ? 'groupA' : 'groupB';
    lines.push(`${Array.from(x).map(String).join(',')},${className}`);
    if (i === 700) lines.push('% a comment inside the data section');
    // The same instances as Redis entries, in the same order.
    pipeline.xadd(REDIS_KEY, '*', 'data', JSON.stringify({ id: `e${i}`, x: Array.from(x), y: className }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  writeFileSync(headerPath, `${header.join('\n')}\n`);
  await pipeline.exec();
}

function startWorker(source: SourceCase): WorkerChild {
  return spawnWorkerChild({
    entry: MAIN,
    args: [...source.args(), '--method', 'driftmoe-data', '--data-dir', dir, '--checkpoint-every', '200', '--batch-size', '50'],
    env: { DATABASE_URL: '', MOE_DATA_DIR: dir },
  });
}

async function checkpoint(stream: string) {
  return db.client.streamCheckpoint.findUnique({ where: { stream_consumer: { stream, consumer: 'drift-worker' } } });
}

let redis: Redis;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drift-worker-kill-'));
  arffPath = join(dir, 'sea-flip.arff');
  headerPath = join(dir, 'sea-flip-header.arff');
  // Fails (does not skip) without redis-server: the message names the Debian package.
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url);
  await writeStream(arffPath, redis);
  db = await openDb({ dataDir: dir, env: {} });
});

afterAll(async () => {
  await db?.close();
  redis?.disconnect();
  await redisServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('drift worker under kill -9', () => {
  it.each(SOURCES)('resumes after SIGKILL at random points with every instance learnt exactly once: $name', async (source) => {
    const STREAM = source.stream;
    const midRunKills: number[] = [];
    const exitedAlone: string[] = [];
    for (let attempt = 0; attempt < 8 && midRunKills.length < 3; attempt++) {
      const child = startWorker(source);
      // Let this incarnation resume and commit once or twice, then kill it a few random milliseconds later. Kill
      // points follow progress, not wall time, so a fast (idle) machine cannot finish the file before the kills.
      const commitsBeforeKill = 1 + Math.floor(Math.random() * 2);
      let exited = false;
      void child.exited.then(() => { exited = true; });
      while (!exited && child.commits < commitsBeforeKill) await Promise.race([child.nextCommit(), child.exited]);
      await new Promise((r) => setTimeout(r, Math.random() * 25));
      child.proc.kill('SIGKILL');
      const code = await child.exited;
      const cp = await checkpoint(STREAM);
      if (code === null && cp !== null && cp.eventsApplied < LENGTH) midRunKills.push(cp.eventsApplied);
      if (code !== null) exitedAlone.push(`exit ${code}: ${child.stderrTail.join('\n')}`);
    }
    expect(midRunKills.length, exitedAlone.join('\n---\n')).toBeGreaterThanOrEqual(3);
    // Progress only moves forward across kills.
    expect([...midRunKills].sort((a, b) => a - b)).toEqual(midRunKills);

    // The last restart runs to the end of the file in this process (a child would only add start-up time).
    const run = await startDriftWorker(parseWorkerArgs([...source.args(), ...source.finalArgs(), '--method', 'driftmoe-data', '--checkpoint-every', '200']), db);
    await run.worker.done;
    const summary = summarize(run);

    // The uninterrupted run, in this process, over the same file.
    const { schema, instances } = await readArff([readFileSync(arffPath, 'utf8')]);
    const reference = PrequentialSession.create('driftmoe-data', schema, { seed: 1 });
    const events: { position: number; detector: string }[] = [];
    for await (const inst of instances) {
      reference.testThenTrain(inst.x, inst.y);
      events.push(...reference.takeDriftEvents().map((e) => ({ position: e.position, detector: e.detector })));
    }
    expect(reference.seen).toBe(LENGTH);

    expect(summary.instancesSeen).toBe(LENGTH);
    expect(summary.correct).toBe(reference.correct);
    expect(summary.predictionHash).toBe(reference.predictionHash);
    const cp = await checkpoint(STREAM);
    expect(cp?.eventsApplied).toBe(LENGTH);
    expect(await db.client.processedEvent.count({ where: { scope: STREAM } })).toBe(LENGTH);
    // The learner itself is the one an uninterrupted run ends with.
    const saved = decodeState(Buffer.from(cp!.state!).toString('utf8')) as SessionState;
    expect(encodeState(saved.learner)).toBe(encodeState(reference.getState().learner));
    // Drift events: the same detections, each stored once.
    expect(events.length).toBeGreaterThan(0);
    const stored = await db.client.driftEvent.findMany({ where: { app: 'drift', stream: STREAM }, orderBy: { id: 'asc' } });
    expect(stored.map((e) => ({ position: e.position, detector: e.detector }))).toEqual(events);
    // Nothing left unacknowledged in the consumer group.
    if (source.stream.startsWith('redis')) expect((await redis.xpending(REDIS_KEY, 'drift'))[0]).toBe(0);
  }, 150_000);
});

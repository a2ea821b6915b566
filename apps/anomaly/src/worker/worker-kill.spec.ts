/**
 * The streaming scorer under kill -9: worker processes score a Redis stream of 8 cameras' snippets (plus
 * malformed events) through a consumer group, committing score rows, alert rows, processed ids and the camera
 * states in one transaction per commit, and are SIGKILLed at random points after a commit or two. A last
 * worker (in this process) finishes the stream. Then every snippet has exactly one score row, equal to the
 * batch score of its whole video; the alerts are exactly those of one uninterrupted streaming pass; the dead
 * letters are exactly the malformed events; nothing is left pending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@moe/db';
import { spawnWorkerChild, startRedisServer, type RedisTestServer, type WorkerChild } from '@moe/service/testing';
import { useBackend } from '@moe/testing';
import { DEFAULT_STREAM_CONFIG } from '../data/synthetic-config.js';
import { createSyntheticWorld, generateVideo } from '../data/synthetic-streams.js';
import type { SnippetVideo } from '../data/video.js';
import { scoreVideos } from '../eval/score-videos.js';
import { loadAnomalyModel, type LoadedAnomalyModel } from '../model/model-artifact.js';
import { StreamScorer } from '../stream/stream-scorer.js';
import type { Alert } from '../stream/alert-tracker.js';
import { startScoringWorker } from './run-scoring-worker.js';
import { parseWorkerArgs } from './worker-args.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const CAMERAS = 8;
const SNIPPETS = 80;
const STREAM = 'snippets';
const MALFORMED = [`{"camera":"cam-0",`, JSON.stringify({ camera: 'cam-1', snippet: -1, features: [] }), JSON.stringify({ camera: 'bad camera!', snippet: 3, features: [] })];

let redisServer: RedisTestServer;
let redis: Redis;
let dir: string;
let db: Db;
let loaded: LoadedAnomalyModel;
let videos: SnippetVideo[];

beforeAll(async () => {
  await useBackend('wasm');
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url);
  dir = mkdtempSync(join(tmpdir(), 'anomaly-worker-kill-'));
  db = await openDb({ dataDir: dir, env: {} });
  loaded = await loadAnomalyModel();
  // One video per camera, half of them anomalous, so alerts are raised and closed along the way.
  const world = createSyntheticWorld({ ...DEFAULT_STREAM_CONFIG, length: [SNIPPETS, SNIPPETS] }, 21);
  videos = Array.from({ length: CAMERAS }, (_, c) => generateVideo(world, c % 2 === 0 ? 0 : 1 + (c % 4), 500 + c, `cam-${c}`));
  const pipe = redis.pipeline();
  for (let t = 0; t < SNIPPETS; t++) {
    for (let c = 0; c < CAMERAS; c++) {
      const features = Array.from(videos[c].features.subarray(t * 32, (t + 1) * 32));
      pipe.xadd(STREAM, '*', 'data', JSON.stringify({ camera: `cam-${c}`, snippet: t, features }));
    }
    if (t % 25 === 10) pipe.xadd(STREAM, '*', 'data', MALFORMED[Math.floor(t / 25)]);
  }
  await pipe.exec();
});

afterAll(async () => {
  loaded?.model.dispose();
  await db?.close();
  await redis?.quit();
  await redisServer?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startChild(): WorkerChild {
  const args = ['--source', `${redisServer.url}/${STREAM}`, '--data-dir', dir, '--checkpoint-every', '16', '--batch-size', '8', '--consumer', 'c1'];
  return spawnWorkerChild({ entry: MAIN, args, env: { DATABASE_URL: '', MOE_DATA_DIR: dir, MOE_BACKEND: 'wasm' } });
}

const TOTAL = CAMERAS * SNIPPETS + MALFORMED.length;
const SCOPE = `redis:${STREAM}/anomaly`;
const processed = () => db.client.processedEvent.count({ where: { scope: SCOPE } });

describe('anomaly scoring worker under kill -9', () => {
  it('scores every snippet exactly once, with the batch scores and the uninterrupted alerts', { timeout: 120_000 }, async () => {
    const kills: number[] = [];
    const exitedAlone: string[] = [];
    for (let attempt = 0; attempt < 8 && kills.length < 3; attempt++) {
      const child = startChild();
      const commitsBeforeKill = 1 + Math.floor(Math.random() * 2);
      let exited = false;
      void child.exited.then(() => (exited = true));
      while (!exited && child.commits < commitsBeforeKill) await Promise.race([child.nextCommit(), child.exited]);
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      child.proc.kill('SIGKILL');
      const code = await child.exited;
      const done = await processed();
      if (code === null && done < TOTAL) kills.push(done);
      if (code !== null) exitedAlone.push(`exit ${code}: ${child.stderrTail.join('\n')}`);
    }
    expect(kills.length, exitedAlone.join('\n---\n')).toBeGreaterThanOrEqual(3);
    expect([...kills].sort((a, b) => a - b)).toEqual(kills);
    expect(kills.at(-1)!).toBeLessThan(TOTAL);

    // The last worker, in this process, finishes the stream (same consumer: it first re-reads what c1 left pending).
    const run = await startScoringWorker(parseWorkerArgs(['--source', `${redisServer.url}/${STREAM}`, '--checkpoint-every', '64', '--consumer', 'c1']), db);
    const deadline = Date.now() + 60_000;
    while ((await processed()) < TOTAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await run.worker.stop();
    await run.worker.done;
    expect(await processed()).toBe(TOTAL);
    // The name scores, alerts and dead letters are stored under (the source's name: redis:<key>/<group>).
    const name = run.stream;
    expect(name).toBe(SCOPE);

    // Every snippet scored once, with the score a batch pass over its whole video gives.
    const batch = await scoreVideos(loaded.model, videos);
    const rows = await db.client.anomalyScore.findMany({ where: { stream: name }, orderBy: [{ camera: 'asc' }, { snippet: 'asc' }] });
    expect(rows).toHaveLength(CAMERAS * SNIPPETS);
    for (const r of rows) expect(r.score).toBeCloseTo(batch[Number(r.camera.slice(4))].scores[r.snippet], 5);

    // Alerts: exactly those of one uninterrupted pass of the same scorer over the same order.
    const reference = new StreamScorer(loaded.model, loaded.config.classes, loaded.config.alert);
    const expected = new Map<string, Alert & { camera: string }>();
    for (let t = 0; t < SNIPPETS; t++) {
      for (let c = 0; c < CAMERAS; c++) {
        const s = await reference.score(`cam-${c}`, t, videos[c].features.subarray(t * 32, (t + 1) * 32));
        if (s.alert) expected.set(`cam-${c}/${s.alert.alert.startSnippet}`, { camera: `cam-${c}`, ...s.alert.alert });
      }
    }
    const stored = await db.client.anomalyAlert.findMany({ where: { stream: name } });
    const key = (a: { camera: string; startSnippet: number; endSnippet: number; expertClass: string; status: string }) => `${a.camera}/${a.startSnippet}-${a.endSnippet}/${a.expertClass}/${a.status}`;
    expect(expected.size).toBeGreaterThan(0);
    expect(stored.map(key).sort()).toEqual([...expected.values()].map(key).sort());

    const letters = await db.client.deadLetter.findMany({ where: { app: 'anomaly', stream: name } });
    expect(letters).toHaveLength(MALFORMED.length);
    for (const pattern of [/JSON/i, /field snippet: expected a non-negative integer, got -1/, /field camera: expected 1–64 characters/]) {
      expect(letters.some((l) => pattern.test(l.reason)), `${pattern}: ${letters.map((l) => l.reason).join(' | ')}`).toBe(true);
    }
    const pending = (await redis.xpending(STREAM, 'anomaly')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});

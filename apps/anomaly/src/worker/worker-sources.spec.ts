import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@moe/db';
import { useBackend } from '@moe/testing';
import { DEFAULT_STREAM_CONFIG } from '../data/synthetic-config.js';
import { createSyntheticWorld, generateVideo } from '../data/synthetic-streams.js';
import { startScoringWorker } from './run-scoring-worker.js';
import { parseWorkerArgs } from './worker-args.js';

let dir: string;
let db: Db;

beforeAll(async () => {
  await useBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'anomaly-worker-file-'));
  db = await openDb({ dataDir: dir, env: {} });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scoring worker on the embedded (file) source', () => {
  it('scores an NDJSON file of two cameras, dead-letters bad lines, and a rerun applies nothing twice', async () => {
    const world = createSyntheticWorld({ ...DEFAULT_STREAM_CONFIG, length: [30, 30] }, 8);
    const videos = [generateVideo(world, 1, 1, 'a'), generateVideo(world, 0, 2, 'b')];
    const lines: string[] = [];
    for (let t = 0; t < 30; t++) {
      videos.forEach((v, c) => lines.push(JSON.stringify({ camera: `cam-${c}`, snippet: t, features: Array.from(v.features.subarray(t * 32, (t + 1) * 32)) })));
      if (t === 12) lines.push('not json', JSON.stringify({ camera: 'cam-0', snippet: 99, features: [1, 2] }));
    }
    const path = join(dir, 'snippets.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const args = ['--source', `file:${path}`, '--checkpoint-every', '16'];
    const first = await startScoringWorker(parseWorkerArgs(args), db);
    const stats = await first.worker.done;
    expect(stats.applied).toBe(60);
    expect(stats.deadLettered).toBe(2);
    expect(await db.client.anomalyScore.count({ where: { stream: first.stream } })).toBe(60);
    const letters = await db.client.deadLetter.findMany({ where: { app: 'anomaly' } });
    expect(letters.map((l) => l.reason).join('\n')).toMatch(/field features: expected an array of 32 numbers, got 2 values/);
    // A second worker resumes at the end of the file: nothing more is scored.
    const second = await startScoringWorker(parseWorkerArgs(args), db);
    expect((await second.worker.done).applied).toBe(0);
    expect(await db.client.anomalyScore.count({ where: { stream: first.stream } })).toBe(60);
  });

  it('refuses bad command lines naming the option', () => {
    expect(() => parseWorkerArgs(['--source', 'ftp://x'])).toThrow(/--source: expected file:<path>.ndjson, stdin or redis/);
    expect(() => parseWorkerArgs(['--checkpoint-every', '0'])).toThrow(/--checkpoint-every: expected an integer ≥ 1, got '0'/);
    expect(parseWorkerArgs([]).source).toBe('stdin');
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@moe/kernels';
import { openDb, setModelStatus, type Db } from '@moe/db';
import { useBackend } from '@moe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { loadRegisteredArtifact, saveAndRegister } from '../service/model-versions.js';
import { runTraining } from '../train/run-training.js';
import { statsOfState } from './online-learner.js';
import type { OnlineStats } from './online-stats.js';
import { runCtrWorker } from './run-ctr-worker.js';
import { syntheticEvents } from './synthetic-events.js';
import { parseCtrWorkerArgs } from './worker-args.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const gen = { numDomains: 3, numUsers: 80, numItems: 50, domainSignal: 0.5 };

describe('ctr worker process: kill -9 and restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-worker-proc-'));
  const eventsPath = join(dir, 'events.ndjson');
  const rows = generateSynthetic({ rows: 2700, seed: 1, ...gen }).rows.slice(1500);
  const { events } = syntheticEvents(rows, { windowMs: 30_000, lateShare: 0.15, seed: 5 });
  const common = ['--source', `file:${eventsPath}`, '--model-version', 'active', '--window-ms', '30000', '--batch', '100', '--data-dir', dir];
  let db: Db;

  beforeAll(async () => {
    await useBackend('wasm');
    db = await openDb({ dataDir: dir });
    const { artifact } = await runTraining({ data: { synthetic: { rows: 2700, seed: 1, ...gen } }, split: { train: 0.5, valid: 0.05 }, model: { kind: 'mmoe', hidden: [8], numExperts: 2, tower: [4] }, training: { epochs: 1, batchSize: 256 } });
    const v = await saveAndRegister(db, { dir: join(dir, 'ctr-models', 'base'), name: 'mmoe', artifact, metrics: {} });
    await setModelStatus(db, v.id, 'production');
    artifact.model.dispose();
    // Two malformed events: dead-lettered once each, however often the worker restarts.
    const lines = events.map((e) => JSON.stringify(e));
    lines.splice(300, 0, '{"type":"impression","id":"bad-1","ts":1,"row":{"domain":"mars"}}', 'not json');
    writeFileSync(eventsPath, lines.join('\n') + '\n');
  }, 30_000);
  afterAll(async () => db?.close());

  function startChild(consumer: string) {
    const proc = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', MAIN, ...common, '--consumer', consumer, '--checkpoint-every', '100'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Same kernels as the in-process reference (the test backend 'wasm' runs without the native GEMM): the
      // comparison is bit-for-bit, and native and wasm matmuls round differently.
      env: { ...process.env, DATABASE_URL: '', MOE_DATA_DIR: dir, MOE_BACKEND: 'wasm', MOE_NATIVE: '0' },
    });
    const lines: string[] = [];
    let err = '';
    let buf = '';
    const listeners: ((line: string) => void)[] = [];
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        for (const l of listeners) l(line);
      }
    });
    proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const commits = (n: number) => new Promise<void>((resolve) => {
      let seen = lines.filter((l) => l.startsWith('{"commit"')).length;
      if (seen >= n) return resolve();
      listeners.push((l) => {
        if (l.startsWith('{"commit"') && ++seen === n) resolve();
      });
    });
    return { proc, lines, exited, commits, stderr: () => err };
  }

  it('loses and double-applies nothing across a kill -9: same counters and bit-identical weights as an uninterrupted run', async () => {
    // Reference: the same stream in one go, in this process, with a file checkpoint.
    const refState = join(dir, 'reference.checkpoint.json');
    const reference = await runCtrWorker(parseCtrWorkerArgs([...common, '--state', refState, '--consumer', 'reference', '--checkpoint-every', '250']), { db });
    await reference.done;
    const refStats: OnlineStats = { ...reference.learner.stats };
    const refWeights = (JSON.parse(JSON.parse(readFileSync(refState, 'utf8')).state as string) as { weights: { sha256: string } }).weights.sha256;
    // The fine-tuned, recalibrated model is registered and loads with its calibration.
    const publishedId = await reference.publish();
    await reference.close();
    const published = await loadRegisteredArtifact((await db.client.modelVersion.findUniqueOrThrow({ where: { id: publishedId } })));
    expect((published.metadata.calibration as { params: unknown[] }).params).toHaveLength(3);
    published.model.dispose();
    expect(refStats.fineTuneSteps).toBeGreaterThan(5);

    const first = startChild('killed');
    await first.commits(3);
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const atKill = await db.client.streamCheckpoint.findFirstOrThrow({ where: { consumer: 'killed' } });
    expect(atKill.eventsApplied).toBeGreaterThan(0);
    expect(atKill.eventsApplied).toBeLessThan(events.length);

    const second = startChild('killed');
    const code = await second.exited;
    expect(code, second.stderr()).toBe(0);
    const done = JSON.parse(second.lines.find((l) => l.startsWith('{"done"'))!) as { online: OnlineStats };
    expect(done.online).toEqual(refStats);
    const final = await db.client.streamCheckpoint.findFirstOrThrow({ where: { consumer: 'killed' } });
    expect(final.eventsApplied).toBe(events.length);
    const state = Buffer.from(final.state!).toString('utf8');
    expect(statsOfState(state)).toEqual(refStats);
    expect((JSON.parse(state) as { weights: { sha256: string } }).weights.sha256).toBe(refWeights);
    const letters = await db.client.deadLetter.findMany({ where: { app: 'ctr' } });
    expect(letters).toHaveLength(2);
    expect(letters.some((l) => /row\.domain: .*unknown domain 'mars'/.test(l.reason))).toBe(true);
  }, 60_000);
});

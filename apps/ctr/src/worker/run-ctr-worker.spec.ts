import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { startRedisServer } from '@moe/service/testing';
import { useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCtrArtifact } from '../artifact/model-artifact.js';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { runTraining } from '../train/run-training.js';
import { runCtrWorker } from './run-ctr-worker.js';
import { syntheticEvents } from './synthetic-events.js';
import { parseCtrWorkerArgs } from './worker-args.js';

const gen = { numDomains: 2, numUsers: 40, numItems: 30 };

/** XADDs each event as the `data` field, over one raw RESP connection (no client library needed). */
async function xadd(url: string, stream: string, payloads: string[]): Promise<void> {
  const { hostname, port } = new URL(url);
  const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  const socket = connect(Number(port), hostname);
  let replies = 0;
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (d) => {
      replies += (d.toString().match(/\r\n/g) ?? []).length;
      if (replies >= payloads.length) resolve();
    });
    socket.write(payloads.map((p) => `*5\r\n${bulk('XADD')}${bulk(stream)}${bulk('*')}${bulk('data')}${bulk(p)}`).join(''));
  });
  socket.end();
}

describe('runCtrWorker sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-worker-src-'));
  const modelDir = join(dir, 'model');
  const { events, onTime } = syntheticEvents(generateSynthetic({ rows: 1000, seed: 1, ...gen }).rows.slice(600), { windowMs: 10_000, lateShare: 0 });

  beforeAll(async () => {
    await useBackend('wasm');
    const { artifact } = await runTraining({ data: { synthetic: { rows: 600, seed: 1, ...gen } }, model: { kind: 'shared-bottom', hidden: [4], tower: [2] }, training: { epochs: 1 } });
    await saveCtrArtifact(modelDir, artifact);
    artifact.model.dispose();
  }, 30_000);

  it('takes events pushed over HTTP, and a retried push is not applied twice', async () => {
    const running = await runCtrWorker(parseCtrWorkerArgs(['--source', 'http:0', '--model', modelDir, '--state', join(dir, 'push.json'), '--window-ms', '10000', '--batch', '50']));
    const push = (batch: unknown[]) => fetch(running.pushUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    const half = Math.floor(events.length / 2);
    expect((await push(events.slice(0, half))).status).toBe(200);
    expect((await push(events.slice(0, half))).status).toBe(200); // a client retry
    expect((await push(events.slice(half))).status).toBe(200);
    expect(running.learner.stats.impressions).toBe(400);
    expect(running.worker.stats.duplicates).toBe(half);
    expect(running.learner.stats.fineTuneSteps).toBeGreaterThan(3);
    await running.close();
  });

  it('releases the model and everything else it opened when start-up fails (push port taken)', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as { port: number };
    const tensorsBefore = tf.memory().numTensors;
    try {
      await expect(runCtrWorker(parseCtrWorkerArgs(['--source', `http:${port}`, '--model', modelDir, '--state', join(dir, 'taken.json')]))).rejects.toThrow(/EADDRINUSE/);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('reads a Redis stream through a consumer group', async () => {
    const redis = await startRedisServer();
    try {
      await xadd(redis.url, 'ctr-events', events.map((e) => JSON.stringify(e)));
      const running = await runCtrWorker(parseCtrWorkerArgs(['--source', `${redis.url}/ctr-events`, '--model', modelDir, '--state', join(dir, 'redis.json'), '--window-ms', '10000', '--batch', '50']));
      for (let i = 0; i < 400 && running.worker.stats.applied < events.length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(running.worker.stats.applied).toBe(events.length);
      expect(running.learner.stats.clicksJoined).toBe(onTime);
      await running.close();
    } finally {
      await redis.stop();
    }
  });
});

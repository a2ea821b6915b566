import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpPushSource } from './sources/http-push-source.js';
import { LineStreamSource } from './sources/line-stream-source.js';
import { FileWorkerStore } from './stores/file-worker-store.js';
import type { EventHandler, EventSource, SourceRecord, WorkerStore } from './types.js';
import { runWorker } from './worker.js';

/** Records applied values; `gate` (when set) holds every apply until released, `delayMs` slows each apply. */
class Recorder implements EventHandler<{ id?: string; v: number }, undefined> {
  seen: number[] = [];
  gate: Promise<void> | undefined;
  delayMs = 0;
  decode(value: unknown): { id?: string; v: number } {
    const v = Number((value as { v?: unknown }).v);
    if (!Number.isFinite(v)) throw new Error(`field v: expected a number, got ${JSON.stringify((value as { v?: unknown }).v)}`);
    return { id: (value as { id?: string }).id, v };
  }
  async apply(e: { v: number }): Promise<void> {
    await this.gate;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    this.seen.push(e.v);
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moe-push-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('back-pressure', () => {
  it('never holds more than maxInFlight records read but not committed', async () => {
    let outstanding = 0;
    let maxOutstanding = 0;
    let next = 0;
    const endless: EventSource = {
      name: 'endless',
      consumer: 'default',
      open: async () => {},
      read: async (max) => {
        const records: SourceRecord[] = Array.from({ length: max }, () => ({ deliveryId: `n${next}`, origin: `endless:${next}`, value: { v: next++ } }));
        outstanding += records.length;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        return records;
      },
      ack: async (records) => {
        outstanding -= records.length;
      },
      close: async () => {},
    };
    const recorder = new Recorder();
    recorder.delayMs = 1;
    const worker = await runWorker({ source: endless, handler: recorder, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 4, maxInFlight: 10, checkpointEvery: 5 });
    while (worker.stats.applied <= 40) await new Promise((r) => setTimeout(r, 10));
    const stats = await worker.stop();
    expect(maxOutstanding).toBeLessThanOrEqual(10);
    expect(stats.maxInFlightSeen).toBe(maxOutstanding);
    expect(outstanding).toBe(0);
    expect(recorder.seen).toEqual(Array.from({ length: stats.applied }, (_, i) => i));
  });

  it('a source that fails still gets what it delivered committed, then the worker fails with its error', async () => {
    let calls = 0;
    const acked: string[] = [];
    const flaky: EventSource = {
      name: 'flaky',
      consumer: 'default',
      open: async () => {},
      read: async () => {
        if (++calls > 2) throw new Error('connection lost');
        return [{ deliveryId: `d${calls}`, origin: `flaky:${calls}`, value: { v: calls } }];
      },
      ack: async (records) => {
        acked.push(...records.map((r) => r.deliveryId));
      },
      close: async () => {},
    };
    const recorder = new Recorder();
    const worker = await runWorker({ source: flaky, handler: recorder, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), checkpointEvery: 10 });
    await expect(worker.done).rejects.toThrow('connection lost');
    expect(recorder.seen).toEqual([1, 2]);
    expect(acked).toEqual(['d1', 'd2']);
  });

  it('names the option and the bound it breaks', async () => {
    const source = new LineStreamSource({ input: new PassThrough() });
    await expect(runWorker({ source, handler: new Recorder(), store: new FileWorkerStore({ path: join(dir, 'cp.json') }), maxInFlight: 5, checkpointEvery: 6 })).rejects.toThrow(
      'worker option checkpointEvery: expected at most maxInFlight (5), got 6',
    );
    await expect(runWorker({ source, handler: new Recorder(), store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 0 })).rejects.toThrow('worker option batchSize: expected a positive integer, got 0');
  });
});

describe('HttpPushSource', () => {
  let server: Server;
  let url: string;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function serve(source: HttpPushSource): Promise<void> {
    server = createServer(source.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}/events`;
  }
  const push = (body: string): Promise<Response> => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('answers once committed, refuses with 429 when full, 400 on bad bodies, 503 when stopped; retries are idempotent', async () => {
    const source = new HttpPushSource({ capacity: 6, maxBodyBytes: 2000 });
    await serve(source);
    const recorder = new Recorder();
    let release!: () => void;
    recorder.gate = new Promise((r) => (release = r));
    const store = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const worker = await runWorker({ source, handler: recorder, store, batchSize: 3, flushIntervalMs: 20 });

    const first = push(JSON.stringify([{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'c', v: 3 }, { id: 'd', v: 4 }]));
    while (source.inFlight < 4) await new Promise((r) => setTimeout(r, 10));
    const full = await push(JSON.stringify({ events: [{ id: 'e', v: 5 }, { id: 'f', v: 6 }, { id: 'g', v: 7 }] }));
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('1');
    expect((await full.json()) as unknown).toEqual({ error: { code: 'backpressure', message: 'the worker holds 4 of 6 events; retry later', path: [] } });
    release();
    const ok = await first;
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 4 });
    expect(source.inFlight).toBe(0);

    const retried = await push(JSON.stringify([{ id: 'a', v: 1 }, { id: 'e', v: 5 }, { v: 'nope' }]));
    expect(await retried.json()).toEqual({ accepted: 3 });
    expect(recorder.seen).toEqual([1, 2, 3, 4, 5]);
    expect((await store.readDeadLetters()).map((d) => d.reason)).toEqual([expect.stringMatching(/^push#\d+: field v: expected a number, got "nope"$/)]);

    const badJson = await push('{"events": [');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const notArray = await push('{"events": 3}');
    expect(await notArray.json()).toEqual({ error: { code: 'invalid_body', message: 'body: expected an array of events or {"events": [...]}, got object', path: ['events'] } });
    expect((await push('x'.repeat(3000))).status).toBe(413);

    await worker.stop();
    const late = await push(JSON.stringify([{ id: 'z', v: 9 }]));
    expect(late.status).toBe(503);
  });

  it('answers pushes whose events were read but never committed with 503 when the worker fails, instead of hanging', async () => {
    const source = new HttpPushSource();
    await serve(source);
    const files = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const failing: WorkerStore<undefined> = {
      loadCheckpoint: (key) => files.loadCheckpoint(key),
      transaction: async () => {
        throw new Error('disk full');
      },
      isRetryable: () => false,
      close: async () => {},
    };
    const worker = await runWorker({ source, handler: new Recorder(), store: failing, flushIntervalMs: 20 });
    const answer = fetch(url, { method: 'POST', body: JSON.stringify([{ id: 'a', v: 1 }]), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000) });
    await expect(worker.done).rejects.toThrow('disk full');
    const res = await answer;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('worker_stopping');
    expect(source.inFlight).toBe(0);
  });

  it('survives a client that disconnects in the middle of its body', async () => {
    const source = new HttpPushSource();
    await serve(source);
    const recorder = new Recorder();
    const worker = await runWorker({ source, handler: recorder, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), flushIntervalMs: 20 });
    const { port } = server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', r));
    socket.write('POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"id":"a",');
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const ok = await push(JSON.stringify([{ id: 'b', v: 2 }]));
    expect(await ok.json()).toEqual({ accepted: 1 });
    expect(recorder.seen).toEqual([2]);
    await worker.stop();
  });
});

describe('LineStreamSource', () => {
  it('reads NDJSON lines split across chunks until the stream ends', async () => {
    const input = new PassThrough();
    const recorder = new Recorder();
    const worker = await runWorker({ source: new LineStreamSource({ input }), handler: recorder, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 2 });
    input.write('{"v":1}\n{"v"');
    input.write(':2}\r\n\n{"v":3}');
    setTimeout(() => input.end('\n{"v":4}'), 30);
    const stats = await worker.done;
    expect(recorder.seen).toEqual([1, 2, 3, 4]);
    expect(stats.applied).toBe(4);
  });

  it('reads CSV with a header from the stream and dead-letters bad rows by line', async () => {
    const input = new PassThrough();
    const recorder = new Recorder();
    const store = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const worker = await runWorker({ source: new LineStreamSource({ input, format: 'csv', name: 'pipe' }), handler: recorder, store });
    input.end('id,v\nx,1\ny,2,3\nz,3\n');
    await worker.done;
    expect(recorder.seen).toEqual([1, 3]);
    expect((await store.readDeadLetters())[0]!.reason).toBe('pipe:3: column 3: expected 2 fields (id, v), got 3');
  });
});

import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MalformedEventError } from './errors.js';
import { CsvFileSource } from './sources/csv-file-source.js';
import { NdjsonFileSource } from './sources/ndjson-file-source.js';
import { FileWorkerStore } from './stores/file-worker-store.js';
import type { EventHandler } from './types.js';
import { runWorker } from './worker.js';

interface Reading {
  id: string;
  key: string;
  value: number;
}

/** A small stateful learner: sums values per key and remembers every id it applied (to catch double-applies). */
class SumLearner implements EventHandler<Reading, undefined> {
  sums: Record<string, number> = {};
  applied: string[] = [];
  failAt?: string;

  decode(value: unknown): Reading {
    const v = value as Partial<Record<keyof Reading, unknown>>;
    const num = typeof v.value === 'string' ? Number(v.value) : v.value;
    if (typeof num !== 'number' || !Number.isFinite(num)) throw new MalformedEventError(`field value: expected a finite number, got ${JSON.stringify(v.value)}`, 'value');
    if (typeof v.key !== 'string') throw new MalformedEventError(`field key: expected a string, got ${JSON.stringify(v.key)}`, 'key');
    return { id: String(v.id), key: v.key, value: num };
  }

  apply(e: Reading): void {
    if (e.id === this.failAt) throw new Error(`simulated crash at ${e.id}`);
    this.sums[e.key] = (this.sums[e.key] ?? 0) + e.value;
    this.applied.push(e.id);
  }

  snapshot(): string {
    return JSON.stringify({ sums: this.sums, applied: this.applied });
  }

  restore(state: string | undefined): void {
    const s = state ? (JSON.parse(state) as { sums: Record<string, number>; applied: string[] }) : { sums: {}, applied: [] };
    this.sums = s.sums;
    this.applied = s.applied;
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moe-worker-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ndjson = (from: number, to: number): string =>
  Array.from({ length: to - from }, (_, i) => JSON.stringify({ id: `e${from + i}`, key: `k${(from + i) % 3}`, value: from + i }) + '\n').join('');

describe('NDJSON file source', () => {
  it('applies every line once, dead-letters malformed lines with line and column, and resumes at the byte offset', async () => {
    const file = join(dir, 'events.ndjson');
    await writeFile(file, ndjson(0, 20) + '{"id":"bad1","key":"k0","value":}\n' + '\n' + JSON.stringify({ id: 'bad2', key: 'k1', value: 'x' }) + '\n' + ndjson(20, 40));
    const store = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const learner = new SumLearner();
    const worker = await runWorker({ source: new NdjsonFileSource({ path: file }), handler: learner, store, batchSize: 4, checkpointEvery: 7 });
    const stats = await worker.done;
    expect(stats).toMatchObject({ applied: 40, deadLettered: 2, duplicates: 0 });
    expect(learner.applied).toEqual(Array.from({ length: 40 }, (_, i) => `e${i}`));
    const letters = await store.readDeadLetters();
    expect(letters.map((l) => l.eventId)).toEqual(['file:events.ndjson@' + (await readFile(file, 'utf8')).indexOf('{"id":"bad1"'), 'bad2']);
    expect(letters[0]!.reason).toMatch(/^events\.ndjson:21: invalid JSON/);
    expect(letters[1]!.reason).toBe('events.ndjson:23: field value: expected a finite number, got "x"');

    await appendFile(file, ndjson(40, 45));
    const again = new SumLearner();
    const store2 = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const second = await (await runWorker({ source: new NdjsonFileSource({ path: file }), handler: again, store: store2 })).done;
    expect(second.applied).toBe(5);
    expect(second.read).toBe(5);
    expect(again.applied).toEqual(Array.from({ length: 45 }, (_, i) => `e${i}`));
    expect((await store2.readDeadLetters()).length).toBe(2);
  });

  it('a crash mid-commit loses and repeats nothing: the next run restores state and position together', async () => {
    const file = join(dir, 'events.ndjson');
    await writeFile(file, ndjson(0, 50));
    const first = new SumLearner();
    first.failAt = 'e33';
    const w1 = await runWorker({ source: new NdjsonFileSource({ path: file }), handler: first, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 5, checkpointEvery: 10 });
    await expect(w1.done).rejects.toThrow('simulated crash at e33');
    const second = new SumLearner();
    const stats = await (await runWorker({ source: new NdjsonFileSource({ path: file }), handler: second, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 5, checkpointEvery: 10 })).done;
    expect(stats.applied).toBe(20);
    expect(second.applied).toEqual(Array.from({ length: 50 }, (_, i) => `e${i}`));
    expect(second.sums).toEqual({ k0: 408, k1: 425, k2: 392 });
  });

  it('graceful stop commits everything read; a restart continues from there', async () => {
    const file = join(dir, 'events.ndjson');
    await writeFile(file, ndjson(0, 30));
    const learner = new SumLearner();
    const source = new NdjsonFileSource({ path: file, follow: true });
    const worker = await runWorker({ source, handler: learner, store: new FileWorkerStore({ path: join(dir, 'cp.json') }), batchSize: 8, checkpointEvery: 8, flushIntervalMs: 10_000 });
    while (worker.stats.read < 30) await new Promise((r) => setTimeout(r, 10));
    // 30 lines with commits of 8: 6 records wait for a commit that a long flush interval would delay.
    const stats = await worker.stop();
    expect(stats.read).toBe(30);
    expect(stats.applied).toBe(30);
    await appendFile(file, ndjson(30, 35));
    const next = new SumLearner();
    const after = await (await runWorker({ source: new NdjsonFileSource({ path: file }), handler: next, store: new FileWorkerStore({ path: join(dir, 'cp.json') }) })).done;
    expect(after.applied).toBe(5);
    expect(next.applied).toHaveLength(35);
  });

  it('refuses a checkpoint past the end of the file', async () => {
    const file = join(dir, 'events.ndjson');
    await writeFile(file, ndjson(0, 10));
    await (await runWorker({ source: new NdjsonFileSource({ path: file }), handler: new SumLearner(), store: new FileWorkerStore({ path: join(dir, 'cp.json') }) })).done;
    await writeFile(file, ndjson(0, 2));
    await expect(runWorker({ source: new NdjsonFileSource({ path: file }), handler: new SumLearner(), store: new FileWorkerStore({ path: join(dir, 'cp.json') }) })).rejects.toThrow(/checkpoint is at byte \d+ but the file has \d+ bytes/);
  });
});

describe('CSV file source', () => {
  it('maps rows by header, handles quotes and CRLF, dead-letters bad rows naming line and column, re-reads the header on resume', async () => {
    const file = join(dir, 'events.csv');
    await writeFile(file, 'id,key,value\r\ne1,"k,1",1\r\ne2,k2,2,extra\r\ne3,"k""3",3\r\ne4,k4\r\ne5,"k5,5\r\ne6,k6,zz\r\n');
    const store = new FileWorkerStore({ path: join(dir, 'cp.json') });
    const learner = new SumLearner();
    const stats = await (await runWorker({ source: new CsvFileSource({ path: file }), handler: learner, store })).done;
    expect(stats).toMatchObject({ applied: 2, deadLettered: 4 });
    expect(learner.sums).toEqual({ 'k,1': 1, 'k"3': 3 });
    expect((await store.readDeadLetters()).map((l) => l.reason)).toEqual([
      'events.csv:3: column 4: expected 3 fields (id, key, value), got 4',
      'events.csv:5: column 3: expected 3 fields (id, key, value), got 2',
      'events.csv:6: column 2: unterminated quoted field',
      'events.csv:7: field value: expected a finite number, got "zz"',
    ]);
    await appendFile(file, 'e7,k7,7\n');
    const next = new SumLearner();
    const after = await (await runWorker({ source: new CsvFileSource({ path: file }), handler: next, store: new FileWorkerStore({ path: join(dir, 'cp.json') }) })).done;
    expect(after).toMatchObject({ read: 1, applied: 1 });
    expect(next.sums).toEqual({ 'k,1': 1, 'k"3': 3, k7: 7 });
  });

  it('reads headerless files with given columns and refuses headerless without them', async () => {
    const file = join(dir, 'plain.csv');
    await writeFile(file, 'a;x;1\nb;y;2\n');
    const learner = new SumLearner();
    await (await runWorker({ source: new CsvFileSource({ path: file, header: false, columns: ['id', 'key', 'value'], delimiter: ';' }), handler: learner, store: new FileWorkerStore({ path: join(dir, 'cp.json') }) })).done;
    expect(learner.sums).toEqual({ x: 1, y: 2 });
    expect(() => new CsvFileSource({ path: file, header: false })).toThrow('CsvFileSource columns: expected column names when header is false, got none');
  });
});

describe('FileWorkerStore processed ids', () => {
  it('keeps the last processedWindow ids per scope, and none with a window of 0', async () => {
    const key = { stream: 's', consumer: 'c' };
    const commit = (store: FileWorkerStore, ids: string[]) =>
      store.transaction(async (unit) => {
        await unit.markProcessed('s', ids);
        await unit.saveCheckpoint(key, { position: undefined, state: undefined, eventsApplied: 0 });
      });
    const kept = async (window: number): Promise<string[]> => {
      const path = join(dir, `cp-${window}.json`);
      const store = new FileWorkerStore({ path, processedWindow: window });
      await store.loadCheckpoint(key);
      await commit(store, ['a', 'b']);
      await commit(store, ['c']);
      return [...(await store.transaction((unit) => unit.processed('s', ['a', 'b', 'c'])))].sort();
    };
    expect(await kept(2)).toEqual(['b', 'c']);
    expect(await kept(0)).toEqual([]);
  });
});

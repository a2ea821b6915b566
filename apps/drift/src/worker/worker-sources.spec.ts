import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@moe/db';
import { startRedisServer, type RedisTestServer } from '@moe/service/testing';
import { SeaGenerator, type Instance } from '@moe/stream';
import { PrequentialSession } from '../service/prequential-session.js';
import { startDriftWorker, summarize } from './run-drift-worker.js';
import { parseWorkerArgs, type DriftWorkerConfig } from './worker-args.js';

const SCHEMA_JSON = {
  attributes: [
    { name: 'a1', type: 'numeric' },
    { name: 'a2', type: 'numeric' },
    { name: 'a3', type: 'numeric' },
    { name: 'class', type: 'nominal', values: ['groupA', 'groupB'] },
  ],
  classAttribute: 'class',
};

let dir: string;
let db: Db;
let schemaPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drift-worker-sources-'));
  db = await openDb({ dataDir: dir, env: {} });
  schemaPath = join(dir, 'schema.json');
  writeFileSync(schemaPath, JSON.stringify(SCHEMA_JSON));
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function sea(n: number, seed = 9): Instance[] {
  const gen = new SeaGenerator({ function: 2, instanceRandomSeed: seed });
  return Array.from({ length: n }, () => gen.nextInstance());
}
const label = (y: number) => (y === 0 ? 'groupA' : 'groupB');

function config(source: string, extra: Partial<DriftWorkerConfig> = {}): DriftWorkerConfig {
  return { ...parseWorkerArgs(['--source', source, '--method', 'ht', '--checkpoint-every', '100']), ...extra };
}

/** What an uninterrupted in-process run over the same instances gives. */
function reference(instances: Instance[]): PrequentialSession {
  const s = PrequentialSession.create('ht', new SeaGenerator().schema, { seed: 1 });
  for (const i of instances) s.testThenTrain(i.x, i.y);
  return s;
}

async function runToEnd(cfg: DriftWorkerConfig) {
  const run = await startDriftWorker(cfg, db);
  await run.worker.done;
  return summarize(run);
}

describe('drift worker sources', () => {
  it('learns a CSV file, dead-letters malformed rows naming them, and a rerun applies nothing twice', async () => {
    const data = sea(400);
    const lines = ['a1,a2,a3,class', ...data.map((i) => `${Array.from(i.x).join(',')},${label(i.y)}`)];
    lines.splice(51, 0, '1,2,groupA');
    lines.splice(120, 0, '1,2,3,groupC');
    const path = join(dir, 'sea.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const cfg = config(`file:${path}`, { schemaPath });
    const first = await runToEnd(cfg);
    const ref = reference(data);
    expect(first).toMatchObject({ instancesSeen: 400, correct: ref.correct, predictionHash: ref.predictionHash, deadLettered: 2 });
    const letters = await db.client.deadLetter.findMany({ where: { app: 'drift', stream: 'file:sea.csv' }, orderBy: { id: 'asc' } });
    expect(letters.map((l) => l.reason)).toEqual([expect.stringMatching(/sea\.csv:52: column 4: expected 4 fields/), expect.stringMatching(/^sea\.csv:121: class: unknown value "groupC" for nominal attribute 'class'/)]);
    const again = await runToEnd(cfg);
    expect(again).toMatchObject({ instancesSeen: 400, applied: 0 });
  });

  it('reads an ARFF file whose class is not the last column (quoted values, comments)', async () => {
    const data = sea(200, 14);
    const lines = ['% header comment', "@relation 'sea first'", "@attribute 'the class' {'group A','group B'}", '@attribute a1 numeric', '@attribute a2 numeric', '@attribute a3 numeric', '@data'];
    for (const i of data) lines.push(`'${i.y === 0 ? 'group A' : 'group B'}',${Array.from(i.x).join(',')}`);
    lines.splice(60, 0, '% comment', '');
    lines.push("'group C',1,2,3");
    const path = join(dir, 'first.arff');
    writeFileSync(path, lines.join('\n'));
    const summary = await runToEnd(config(`file:${path}`, { classAttribute: 'the class' }));
    const ref = reference(data);
    expect(summary).toMatchObject({ instancesSeen: 200, correct: ref.correct, predictionHash: ref.predictionHash, deadLettered: 1 });
    const letter = await db.client.deadLetter.findFirst({ where: { stream: 'file:first.arff' } });
    expect(letter?.reason).toMatch(/^first\.arff:210: the class: unknown value "group C"/);
  });

  it('learns NDJSON events {id, x, y}, applying a repeated id once', async () => {
    const data = sea(300, 12);
    const events = data.map((i, k) => JSON.stringify({ id: `e${k}`, x: Array.from(i.x), y: label(i.y) }));
    events.splice(10, 0, events[5]);
    // JSON.stringify cannot write 1e400 (it becomes null): the raw text is what a producer might send.
    events.push('{"id":"bad","x":{"a1":1,"a2":2,"a3":1e400},"y":"groupA"}');
    const path = join(dir, 'sea.ndjson');
    writeFileSync(path, `${events.join('\n')}\n`);
    const summary = await runToEnd(config(`file:${path}`, { schemaPath }));
    const ref = reference(data);
    expect(summary).toMatchObject({ instancesSeen: 300, correct: ref.correct, predictionHash: ref.predictionHash, deadLettered: 1 });
    const letter = await db.client.deadLetter.findFirst({ where: { stream: 'file:sea.ndjson' } });
    expect(letter?.reason).toMatch(/x\.a3: expected a finite number .* got Infinity/);
  });

  it('refuses bad command lines naming the option', async () => {
    expect(() => parseWorkerArgs(['--source', 'ftp://x', '--method', 'ht'])).toThrow(/--source: expected file:<path> or redis/);
    expect(() => parseWorkerArgs(['--source', 'file:x.arff', '--method', 'svm'])).toThrow(/--method: expected one of/);
    expect(() => parseWorkerArgs(['--source', 'file:x.arff', '--checkpoint-every', '0'])).toThrow(/--checkpoint-every: expected an integer ≥ 1, got '0'/);
    await expect(startDriftWorker(config(`file:${join(dir, 'x.ndjson')}`), db)).rejects.toThrow(/--schema: required for an NDJSON source/);
  });

  describe('Redis stream', () => {
    let redis: RedisTestServer;
    let client: Redis;
    beforeAll(async () => {
      redis = await startRedisServer();
      client = new Redis(redis.url);
    });
    afterAll(async () => {
      client.disconnect();
      await redis.stop();
    });

    it('consumes a Redis stream through a consumer group and resumes where it stopped', async () => {
      const data = sea(500, 21);
      const push = async (part: Instance[], from: number) => {
        for (let k = 0; k < part.length; k++) await client.xadd('sea-events', '*', 'data', JSON.stringify({ id: `r${from + k}`, x: Array.from(part[k].x), y: label(part[k].y) }));
      };
      await push(data.slice(0, 300), 0);
      const cfg = config(`redis://127.0.0.1:${redis.port}/sea-events`, { schemaPath, stopWhenIdleMs: 400 });
      expect(await runToEnd(cfg)).toMatchObject({ instancesSeen: 300 });
      await push(data.slice(300), 300);
      const ref = reference(data);
      expect(await runToEnd(cfg)).toMatchObject({ instancesSeen: 500, applied: 200, correct: ref.correct, predictionHash: ref.predictionHash });
      expect(await client.xpending('sea-events', 'drift')).toEqual([0, null, null, null]);
    });
  });
});

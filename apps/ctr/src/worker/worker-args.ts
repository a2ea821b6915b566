import { parseArgs } from 'node:util';

/** What the CTR worker process is asked to do (see `USAGE`). */
export interface CtrWorkerConfig {
  /** `file:<events.ndjson>`, `stdin`, `redis://host:port/<stream>` or `http:<port>` (HTTP push on 127.0.0.1). */
  source: string;
  /** Keep reading a file source as it grows. */
  follow: boolean;
  /** Starting model: an artefact directory, or a registry version (`active`, an id, or `<name>@<version>`). */
  model: { path: string } | { version: string };
  /** Checkpoint file (FileWorkerStore); without it the checkpoint goes to the database (PrismaWorkerStore). */
  statePath?: string;
  /** Directory of the checkpointed weight files (default `<state>.weights`, or `ctr-worker-weights/<consumer>` under the data dir). */
  weightsDir?: string;
  consumer: string;
  group: string;
  joinWindowMs: number;
  batchSize: number;
  checkpointEvery: number;
  learningRate: number;
  embeddingLearningRate: number;
  calibrationWindow: number;
  /** Register the fine-tuned, recalibrated model as a new (staging) version every this many steps and at the end; 0 = never. */
  publishEvery: number;
  /** SQLite data directory (default MOE_DATA_DIR or <repo>/.data; DATABASE_URL wins). */
  dataDir?: string;
}

export const USAGE = `usage: npm run moe -- apps/ctr/src/worker/main.ts --source <file:events.ndjson | stdin | redis://host:port/stream | http:port>
  (--model <artifact dir> | --model-version active|<id>|<name>@<version>) [--state checkpoint.json] [--weights-dir dir]
  [--follow] [--consumer name] [--group name] [--window-ms 60000] [--batch 256] [--checkpoint-every 500]
  [--lr 0.01] [--embedding-lr 0.01] [--calibration-window 4000] [--publish-every 0] [--data-dir dir]
events (one JSON object per line / per array item):
  {"type":"impression","id":"i1","ts":1700000000000,"row":{"domain":"d0","user":"u1",...}}
  {"type":"click","impressionId":"i1","ts":1700000004000[,"task":"click"]}`;

function num(name: string, raw: string | undefined, fallback: number, check: (v: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !check(v)) throw new RangeError(`--${name}: expected ${expected}, got '${raw}'`);
  return v;
}
const int = (min: number) => (v: number) => Number.isInteger(v) && v >= min;

/** Parses the command line; throws naming the option that is wrong. */
export function parseCtrWorkerArgs(argv: readonly string[]): CtrWorkerConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      source: { type: 'string' },
      follow: { type: 'boolean' },
      model: { type: 'string' },
      'model-version': { type: 'string' },
      state: { type: 'string' },
      'weights-dir': { type: 'string' },
      consumer: { type: 'string' },
      group: { type: 'string' },
      'window-ms': { type: 'string' },
      batch: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      lr: { type: 'string' },
      'embedding-lr': { type: 'string' },
      'calibration-window': { type: 'string' },
      'publish-every': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const source = values.source;
  if (source === undefined) throw new RangeError('--source: required (file:<events.ndjson>, stdin, redis://host:port/<stream> or http:<port>)');
  if (!/^(file:.+|stdin|redis:\/\/.+\/.+|http:\d+)$/.test(source)) throw new RangeError(`--source: expected file:<path>, stdin, redis://host:port/<stream> or http:<port>, got '${source}'`);
  if ((values.model === undefined) === (values['model-version'] === undefined)) throw new RangeError('--model / --model-version: give exactly one (an artefact directory, or a registry version: active, <id>, <name>@<version>)');
  const model = values.model !== undefined ? { path: values.model } : { version: values['model-version']! };
  const positive = (v: number) => Number.isFinite(v) && v >= 0;
  return {
    source,
    follow: values.follow ?? false,
    model,
    ...(values.state !== undefined ? { statePath: values.state } : {}),
    ...(values['weights-dir'] !== undefined ? { weightsDir: values['weights-dir'] } : {}),
    consumer: values.consumer ?? 'ctr-worker',
    group: values.group ?? 'ctr',
    joinWindowMs: num('window-ms', values['window-ms'], 60_000, positive, 'a number of milliseconds ≥ 0'),
    batchSize: num('batch', values.batch, 256, int(1), 'an integer ≥ 1'),
    checkpointEvery: num('checkpoint-every', values['checkpoint-every'], 500, int(1), 'an integer ≥ 1'),
    learningRate: num('lr', values.lr, 0.01, positive, 'a number ≥ 0'),
    embeddingLearningRate: num('embedding-lr', values['embedding-lr'], 0.01, positive, 'a number ≥ 0'),
    calibrationWindow: num('calibration-window', values['calibration-window'], 4000, int(1), 'an integer ≥ 1'),
    publishEvery: num('publish-every', values['publish-every'], 0, int(0), 'an integer ≥ 0'),
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  };
}

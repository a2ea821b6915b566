import { parseArgs } from 'node:util';
import { integerOption } from '@moe/service';

/** What the scoring worker is asked to do (see `WORKER_USAGE`). */
export interface ScoringWorkerConfig {
  /** `file:<path>.ndjson`, `stdin`, or `redis://host:port/<stream key>`. */
  source: string;
  /** Model artifact directory (default: the committed default model). */
  modelDir?: string;
  /** Name of the stream in checkpoints, scores and alerts (default: the source's name). */
  streamName?: string;
  consumer: string;
  group: string;
  batchSize: number;
  checkpointEvery: number;
  /** Redis: take over another consumer's entries idle this long. */
  claimIdleMs: number;
  dataDir?: string;
}

export const WORKER_USAGE = `usage: npm run moe -- apps/anomaly/src/worker/main.ts --source <file:path.ndjson | stdin | redis://host:port/stream>
  [--model dir] [--stream-name name] [--consumer name] [--group name] [--batch-size n] [--checkpoint-every n]
  [--claim-idle-ms n] [--data-dir dir]
events: one JSON object per snippet {"camera": "cam-1", "snippet": 0, "features": [D numbers]}`;

export function parseWorkerArgs(argv: readonly string[]): ScoringWorkerConfig {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    strict: true,
    options: {
      source: { type: 'string' },
      model: { type: 'string' },
      'stream-name': { type: 'string' },
      consumer: { type: 'string' },
      group: { type: 'string' },
      'batch-size': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'claim-idle-ms': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const source = values.source ?? 'stdin';
  if (!/^(file:.+|stdin|redis:\/\/.+)$/.test(source)) throw new RangeError(`--source: expected file:<path>.ndjson, stdin or redis://host:port/<stream>, got '${source}'`);
  const checkpointEvery = integerOption('checkpoint-every', values['checkpoint-every'], 100, 1);
  return {
    source,
    modelDir: values.model,
    streamName: values['stream-name'],
    consumer: values.consumer ?? 'anomaly-worker',
    group: values.group ?? 'anomaly',
    batchSize: Math.min(integerOption('batch-size', values['batch-size'], 50, 1), checkpointEvery),
    checkpointEvery,
    claimIdleMs: integerOption('claim-idle-ms', values['claim-idle-ms'], 30_000, 1),
    dataDir: values['data-dir'],
  };
}

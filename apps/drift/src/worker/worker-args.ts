import { parseArgs } from 'node:util';
import { integerOption } from '@moe/service';
import { METHODS } from '../model/methods.js';

/** What the worker process is asked to do (see `USAGE`). */
export interface DriftWorkerConfig {
  /** `file:<path>.arff|.csv|.ndjson` or `redis://host:port/<stream key>`. */
  source: string;
  method: string;
  /** ARFF header file or JSON schema file; required for NDJSON and Redis, optional for CSV. */
  schemaPath?: string;
  /** Class attribute when it is not the last column. */
  classAttribute?: string;
  /** Checkpoint and drift-event stream name (default: the source's name). */
  streamName?: string;
  /** This reader's name (stable across restarts). */
  consumer: string;
  /** Redis consumer group. */
  group: string;
  seed: number;
  batchSize: number;
  checkpointEvery: number;
  /** End after the source had nothing new for this long (Redis); undefined = run until stopped. */
  stopWhenIdleMs?: number;
  /** SQLite data directory (default MOE_DATA_DIR or <repo>/.data; DATABASE_URL wins when set). */
  dataDir?: string;
}

export const USAGE = `usage: npm run moe -- apps/drift/src/worker/main.ts --source <file:path.arff|.csv|.ndjson | redis://host:port/stream>
  --method ${METHODS.join('|')}  [--schema header.arff|schema.json] [--class-attribute name]
  [--stream-name name] [--consumer name] [--group name] [--seed n] [--batch-size n] [--checkpoint-every n]
  [--stop-when-idle-ms n] [--data-dir dir]`;

/** Parses the command line; throws naming the option that is wrong. */
export function parseWorkerArgs(argv: readonly string[]): DriftWorkerConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      source: { type: 'string' },
      method: { type: 'string' },
      schema: { type: 'string' },
      'class-attribute': { type: 'string' },
      'stream-name': { type: 'string' },
      consumer: { type: 'string' },
      group: { type: 'string' },
      seed: { type: 'string' },
      'batch-size': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'stop-when-idle-ms': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  if (values.source === undefined) throw new RangeError('--source: required (file:<path> or redis://host:port/<stream>)');
  if (!/^(file:|redis:\/\/)/.test(values.source)) throw new RangeError(`--source: expected file:<path> or redis://host:port/<stream>, got '${values.source}'`);
  const method = values.method ?? 'driftmoe-data';
  if (!(METHODS as readonly string[]).includes(method)) throw new RangeError(`--method: expected one of ${METHODS.join(', ')}, got '${method}'`);
  const batchSize = integerOption('batch-size', values['batch-size'], 250, 1);
  const checkpointEvery = integerOption('checkpoint-every', values['checkpoint-every'], 1000, 1);
  return {
    source: values.source,
    method,
    schemaPath: values.schema,
    classAttribute: values['class-attribute'],
    streamName: values['stream-name'],
    consumer: values.consumer ?? 'drift-worker',
    group: values.group ?? 'drift',
    seed: integerOption('seed', values.seed, 1, 0),
    batchSize,
    checkpointEvery,
    stopWhenIdleMs: values['stop-when-idle-ms'] === undefined ? undefined : integerOption('stop-when-idle-ms', values['stop-when-idle-ms'], 0, 1),
    dataDir: values['data-dir'],
  };
}

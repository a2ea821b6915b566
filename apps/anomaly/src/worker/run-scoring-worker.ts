import type { Db } from '@moe/db';
import { LineStreamSource, NdjsonFileSource, PrismaWorkerStore, RedisStreamSource, Worker, type CommitInfo, type EventSource, type PrismaTx, type WorkerLogger } from '@moe/service';
import { loadAnomalyModel } from '../model/model-artifact.js';
import { ANOMALY_APP, ScoringHandler } from './scoring-handler.js';
import type { SnippetEvent } from './snippet-event.js';
import type { ScoringWorkerConfig } from './worker-args.js';

export interface ScoringWorkerRun {
  readonly worker: Worker<SnippetEvent, PrismaTx>;
  readonly handler: ScoringHandler;
  readonly source: EventSource;
  readonly stream: string;
}

/** The platform source `--source` names. */
export function openScoringSource(config: ScoringWorkerConfig): EventSource {
  const named = { ...(config.streamName !== undefined ? { name: config.streamName } : {}), consumer: config.consumer };
  if (config.source === 'stdin') return new LineStreamSource({ format: 'ndjson', ...named });
  if (config.source.startsWith('file:')) {
    const path = config.source.slice('file:'.length);
    if (!/\.(ndjson|jsonl)$/i.test(path)) throw new RangeError(`--source: expected an .ndjson file, got '${path}'`);
    return new NdjsonFileSource({ path, ...named });
  }
  const url = new URL(config.source);
  const stream = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (stream === '') throw new RangeError(`--source: expected redis://host:port/<stream key>, got '${config.source}' (no stream key)`);
  return new RedisStreamSource({ redis: `redis://${url.host}`, stream, group: config.group, consumer: config.consumer, claimIdleMs: config.claimIdleMs, blockMs: 200, ...(config.streamName !== undefined ? { name: config.streamName } : {}) });
}

/** Starts scoring `config.source` with checkpoints, scores and alerts in the database, in one transaction per commit. */
export async function startScoringWorker(config: ScoringWorkerConfig, db: Db, options: { logger?: WorkerLogger; onCommit?: (info: CommitInfo) => void; onCaughtUp?: () => void } = {}): Promise<ScoringWorkerRun> {
  const loaded = await loadAnomalyModel(config.modelDir);
  const source = openScoringSource(config);
  const handler = new ScoringHandler(loaded, source.name);
  const worker = new Worker<SnippetEvent, PrismaTx>({
    source,
    handler,
    store: new PrismaWorkerStore({ db, app: ANOMALY_APP }),
    batchSize: config.batchSize,
    checkpointEvery: config.checkpointEvery,
    maxInFlight: Math.max(2 * config.checkpointEvery, config.batchSize),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.onCommit !== undefined ? { onCommit: options.onCommit } : {}),
    ...(options.onCaughtUp !== undefined ? { onCaughtUp: options.onCaughtUp } : {}),
  });
  await worker.start();
  return { worker, handler, source, stream: source.name };
}

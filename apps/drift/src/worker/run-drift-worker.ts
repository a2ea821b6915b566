import type { Db } from '@moe/db';
import { PrismaWorkerStore, Worker, type CommitInfo, type PrismaTx, type WorkerLogger } from '@moe/service';
import { DRIFT_APP } from '../service/drift-event-writer.js';
import { LearnerHandler } from './learner-handler.js';
import type { LabelledInstance } from './instance-decoder.js';
import { openWorkerSource } from './open-worker-source.js';
import type { DriftWorkerConfig } from './worker-args.js';

export interface DriftWorkerRun {
  readonly worker: Worker<LabelledInstance, PrismaTx>;
  readonly handler: LearnerHandler;
  readonly stream: string;
}

/** What the worker reports when it ends: the learner's prequential result over its whole life. */
export interface DriftWorkerSummary {
  stream: string;
  method: string;
  instancesSeen: number;
  correct: number;
  accuracy: number;
  predictionHash: number;
  applied: number;
  deadLettered: number;
  commits: number;
}

/**
 * Starts test-then-train over the configured source with checkpoints in the database (`StreamCheckpoint`:
 * source position + learner state in one transaction with the drift events and processed ids).
 */
export async function startDriftWorker(config: DriftWorkerConfig, db: Db, options: { logger?: WorkerLogger; onCommit?: (info: CommitInfo) => void } = {}): Promise<DriftWorkerRun> {
  const { source, schema } = await openWorkerSource(config);
  const stream = source.name;
  const handler = new LearnerHandler({ method: config.method, schema, stream, learner: { seed: config.seed } });
  const worker = new Worker<LabelledInstance, PrismaTx>({
    source,
    handler,
    store: new PrismaWorkerStore({ db, app: DRIFT_APP }),
    batchSize: Math.min(config.batchSize, config.checkpointEvery),
    checkpointEvery: config.checkpointEvery,
    maxInFlight: Math.max(2 * config.checkpointEvery, config.batchSize),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.onCommit !== undefined ? { onCommit: options.onCommit } : {}),
  });
  await worker.start();
  return { worker, handler, stream };
}

export function summarize(run: DriftWorkerRun): DriftWorkerSummary {
  const s = run.handler.session;
  return {
    stream: run.stream,
    method: s.method,
    instancesSeen: s.seen,
    correct: s.correct,
    accuracy: s.seen > 0 ? s.correct / s.seen : 0,
    predictionHash: s.predictionHash,
    applied: run.worker.stats.applied,
    deadLettered: run.worker.stats.deadLettered,
    commits: run.worker.stats.commits,
  };
}

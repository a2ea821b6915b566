import { selectBackend } from '@moe/runtime';
import { createStderrJsonLogger, runWorkerProcess, stopOnSignals } from '@moe/service';
import { startScoringWorker } from './run-scoring-worker.js';
import { parseWorkerArgs, WORKER_USAGE } from './worker-args.js';

/** JSON lines on stderr, so stdout carries only the final summary. */
const logger = createStderrJsonLogger();

runWorkerProcess({
  name: 'anomaly worker',
  usage: WORKER_USAGE,
  parseArgs: parseWorkerArgs,
  before: async () => void (await selectBackend()), // MOE_BACKEND, default auto
  async run(config, db) {
    const run = await startScoringWorker(config, db, { logger, onCommit: (info) => logger.info({ ...info }, 'commit'), onCaughtUp: () => logger.info({ ready: true }, 'caught up') });
    stopOnSignals(run.worker, { logger, onStopped: () => undefined });
    const stats = await run.worker.done;
    return { stream: run.stream, scored: run.handler.scored, cameras: run.handler.scorer.cameraCount, ...stats };
  },
});

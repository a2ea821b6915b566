import { openDb } from '@moe/db';
import { selectBackend } from '@moe/runtime';
import { createStderrJsonLogger, stopOnSignals } from '@moe/service';
import { startScoringWorker } from './run-scoring-worker.js';
import { parseWorkerArgs, WORKER_USAGE } from './worker-args.js';

/** JSON lines on stderr, so stdout carries only the final summary. */
const logger = createStderrJsonLogger();

async function main(): Promise<number> {
  let config;
  try {
    config = parseWorkerArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${WORKER_USAGE}\n`);
    return 2;
  }
  await selectBackend(); // MOE_BACKEND, default auto
  const db = await openDb(config.dataDir !== undefined ? { dataDir: config.dataDir } : {});
  try {
    const run = await startScoringWorker(config, db, { logger, onCommit: (info) => logger.info({ ...info }, 'commit'), onCaughtUp: () => logger.info({ ready: true }, 'caught up') });
    stopOnSignals(run.worker, { logger, onStopped: () => undefined });
    const stats = await run.worker.done;
    process.stdout.write(`${JSON.stringify({ stream: run.stream, scored: run.handler.scored, cameras: run.handler.scorer.cameraCount, ...stats })}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`anomaly worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

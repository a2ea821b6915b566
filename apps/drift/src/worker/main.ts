import { openDb } from '@moe/db';
import { createStderrJsonLogger, stopOnSignals } from '@moe/service';
import { startDriftWorker, summarize } from './run-drift-worker.js';
import { parseWorkerArgs, USAGE } from './worker-args.js';

/** JSON lines on stderr, so stdout carries only the final summary. */
const logger = createStderrJsonLogger();

async function main(): Promise<number> {
  let config;
  try {
    config = parseWorkerArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const db = await openDb(config.dataDir !== undefined ? { dataDir: config.dataDir } : {});
  try {
    const run = await startDriftWorker(config, db, { logger, onCommit: (info) => logger.info({ ...info }, 'commit') });
    stopOnSignals(run.worker, { logger, onStopped: () => undefined });
    await run.worker.done;
    process.stdout.write(`${JSON.stringify(summarize(run))}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`drift worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

import { openDb } from '@moe/db';
import { stopOnSignals, type WorkerLogger } from '@moe/service';
import { startDriftWorker, summarize } from './run-drift-worker.js';
import { parseWorkerArgs, USAGE } from './worker-args.js';

/** JSON lines on stderr, so stdout carries only the final summary. */
const logger: WorkerLogger = {
  info: (fields, msg) => process.stderr.write(`${JSON.stringify({ level: 'info', msg, ...fields })}\n`),
  warn: (fields, msg) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...fields })}\n`),
  error: (fields, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', msg, ...fields, err: fields.err instanceof Error ? fields.err.message : fields.err })}\n`),
};

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

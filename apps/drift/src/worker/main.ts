import { createStderrJsonLogger, runWorkerProcess, stopOnSignals } from '@moe/service';
import { startDriftWorker, summarize } from './run-drift-worker.js';
import { parseWorkerArgs, USAGE } from './worker-args.js';

/** JSON lines on stderr, so stdout carries only the final summary. */
const logger = createStderrJsonLogger();

runWorkerProcess({
  name: 'drift worker',
  usage: USAGE,
  parseArgs: parseWorkerArgs,
  async run(config, db) {
    const run = await startDriftWorker(config, db, { logger, onCommit: (info) => logger.info({ ...info }, 'commit') });
    stopOnSignals(run.worker, { logger, onStopped: () => undefined });
    await run.worker.done;
    return summarize(run);
  },
});

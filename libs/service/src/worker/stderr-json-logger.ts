import type { WorkerLogger } from './worker.js';

/**
 * A {@link WorkerLogger} for worker processes that writes one JSON object per line to stderr, so that stdout
 * stays free for the process's final summary. Each line is `{"level":…,"msg":…,...fields}`; on `error` an
 * `err` field that is an `Error` is written as its message (an `Error` serialises to `{}` otherwise).
 *
 * The `"msg":"commit"` lines a worker logs after each commit are what `spawnWorkerChild` in
 * `@moe/service/testing` counts, so keep the key names stable.
 */
export function createStderrJsonLogger(): WorkerLogger {
  const write = (line: Record<string, unknown>): void => void process.stderr.write(`${JSON.stringify(line)}\n`);
  return {
    info: (fields, msg) => write({ level: 'info', msg, ...fields }),
    warn: (fields, msg) => write({ level: 'warn', msg, ...fields }),
    error: (fields, msg) => write({ level: 'error', msg, ...fields, err: fields.err instanceof Error ? fields.err.message : fields.err }),
  };
}

import { openDb, type Db } from '@moe/db';

export interface WorkerProcessOptions<C extends { dataDir?: string }> {
  /** For the failure line on stderr, e.g. 'drift worker'. */
  readonly name: string;
  /** Printed after an argument error. */
  readonly usage: string;
  /** Parses the command line; throws naming the option that is wrong. */
  parseArgs(argv: readonly string[]): C;
  /** Runs after the arguments parsed and before the database opens (e.g. backend selection). */
  before?(config: C): Promise<void>;
  /** Runs the worker to its end; the value is printed on stdout as one JSON line (the summary). */
  run(config: C, db: Db): Promise<unknown>;
}

/**
 * The process shell every ingestion worker's `main.ts` shares: parse the arguments (exit 2 with the usage on
 * error), open the database (SQLite in `dataDir`, or `DATABASE_URL`), run, print the JSON summary on stdout,
 * always close the database, and exit 0, or 1 with a one-line reason on stderr.
 */
export function runWorkerProcess<C extends { dataDir?: string }>(options: WorkerProcessOptions<C>): void {
  const main = async (): Promise<number> => {
    let config: C;
    try {
      config = options.parseArgs(process.argv.slice(2));
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n${options.usage}\n`);
      return 2;
    }
    await options.before?.(config);
    const db = await openDb(config.dataDir !== undefined ? { dataDir: config.dataDir } : {});
    try {
      const summary = await options.run(config, db);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    } finally {
      await db.close();
    }
  };
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${options.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

import { fileURLToPath } from 'node:url';
import { residentMemoryBytes, startChildService } from './child-service.js';
import { runLoad, type LoadResult } from './run-load.js';

export interface ServiceBenchmarkResult extends LoadResult {
  readonly route: string;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  readonly serviceExitCode: number | null;
}

/**
 * Starts the trivial service (serve.ts) in its own process, records its resident memory, drives
 * `GET /api/bench/ping` at `rps` for `durationSeconds`, records memory again and stops it gracefully.
 */
export async function benchmarkTrivialService(options: { rps: number; durationSeconds: number; log?: (m: string) => void }): Promise<ServiceBenchmarkResult> {
  const server = await startChildService(fileURLToPath(new URL('./serve.ts', import.meta.url)));
  let result: Omit<ServiceBenchmarkResult, 'serviceExitCode'>;
  try {
    const route = '/api/bench/ping';
    const rssBeforeBytes = await residentMemoryBytes(server.url);
    options.log?.(`target ${server.url}${route}; ${options.rps} req/s for ${options.durationSeconds} s; RSS before ${(rssBeforeBytes / 2 ** 20).toFixed(1)} MiB`);
    const load = await runLoad({ url: `${server.url}${route}`, rps: options.rps, durationSeconds: options.durationSeconds });
    const rssAfterBytes = await residentMemoryBytes(server.url);
    result = { ...load, route, rssBeforeBytes, rssAfterBytes };
  } catch (err) {
    await server.stop();
    throw err;
  }
  // A graceful stop (exit code 0) is part of the result: the service must drain and exit after the load.
  const serviceExitCode = await server.stop();
  return { ...result, serviceExitCode };
}

import { autocannon, type AutocannonResult } from './autocannon-api.js';
import { summarize, type LatencySummary } from './percentiles.js';

export interface LoadOptions {
  /** Full URL of the endpoint; must be on loopback (this tool never loads anything else). */
  readonly url: string;
  /** Requests per second across all connections (open loop). */
  readonly rps: number;
  readonly durationSeconds: number;
  readonly connections?: number;
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface LoadResult {
  readonly url: string;
  readonly targetRps: number;
  readonly durationSeconds: number;
  readonly requests: number;
  readonly achievedRps: number;
  /** Every response, including errors, timed by autocannon with hrtime (µs resolution). */
  readonly latency: LatencySummary;
  readonly statusCounts: Record<string, number>;
  /** Non-2xx responses plus connection errors plus timeouts. */
  readonly errors: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Sends `rps` requests per second for `durationSeconds` with autocannon and summarizes latency from each
 * response's own timing (autocannon's built-in histogram rounds to whole milliseconds, too coarse for a
 * sub-millisecond loopback route).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`runLoad(): 'url' must point at loopback (127.0.0.1, localhost, ::1); got host '${host}'`);
  if (!(options.rps > 0) || !(options.durationSeconds > 0)) throw new RangeError(`runLoad(): 'rps' and 'durationSeconds' must be > 0; got ${options.rps} and ${options.durationSeconds}`);
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const connections = options.connections ?? Math.min(50, Math.max(1, Math.ceil(options.rps / 20)));
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const inst = autocannon(
      {
        url: options.url,
        method: options.method ?? 'GET',
        connections,
        duration: options.durationSeconds,
        overallRate: options.rps,
        timeout: 10,
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.headers !== undefined ? { headers: options.headers } : {}),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statusCounts[String(status)] = (statusCounts[String(status)] ?? 0) + 1;
    });
  });
  return {
    url: options.url,
    targetRps: options.rps,
    durationSeconds: options.durationSeconds,
    requests: latencies.length,
    // autocannon's own elapsed time (seconds), which includes connection set-up and the last responses.
    achievedRps: latencies.length / (result.duration > 0 ? result.duration : options.durationSeconds),
    latency: summarize(latencies),
    statusCounts,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

// `npm run bench -- service [--quick]`: p50/p99 latency and errors at 200 requests/s against a trivial route of
// a real service (its own process, loopback only), plus the service's resident memory before and after.
// The measurement lives in tools/load (bench-service-cli.ts); tools may not import each other, so it runs
// as a child process and reports one JSON line.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { markdownTable, repoRoot, type BenchSuite } from '../report.js';

const RPS = 200;

/** The fields of tools/load's ServiceBenchmarkResult that this report uses. */
interface Measured {
  route: string;
  requests: number;
  achievedRps: number;
  errors: number;
  statusCounts: Record<string, number>;
  latency: { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number };
  rssBeforeBytes: number;
  rssAfterBytes: number;
  serviceExitCode: number | null;
}

function parseResult(stdout: string): Measured {
  const line = stdout.trim().split('\n').pop() ?? '';
  const r = JSON.parse(line) as Measured;
  for (const [k, v] of Object.entries({ requests: r.requests, p50: r.latency?.p50Ms, p99: r.latency?.p99Ms, rss: r.rssAfterBytes })) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`bench-service-cli reported a non-numeric '${k}': ${line.slice(0, 300)}`);
  }
  return r;
}

const mib = (b: number) => Number((b / 2 ** 20).toFixed(1));
const ms = (x: number) => Number(x.toFixed(3));

const suite: BenchSuite = async ({ quick, log }) => {
  const durationSeconds = quick ? 10 : 60;
  log(`${RPS} req/s for ${durationSeconds} s against a trivial route (child processes, loopback)`);
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@moe/source', '--import', 'tsx', join(repoRoot, 'tools', 'load', 'src', 'bench-service-cli.ts'), '--rps', String(RPS), '--duration', String(durationSeconds)],
    { cwd: repoRoot, maxBuffer: 16 * 2 ** 20, timeout: (durationSeconds + 120) * 1000 },
  );
  for (const l of stderr.trim().split('\n').filter(Boolean)) log(l);
  const r = parseResult(stdout);
  log(`p50 ${r.latency.p50Ms.toFixed(3)} ms, p99 ${r.latency.p99Ms.toFixed(3)} ms, errors ${r.errors}, RSS ${mib(r.rssBeforeBytes)} → ${mib(r.rssAfterBytes)} MiB`);
  const markdown = [
    `Trivial route \`GET ${r.route}\` of a service built by \`createService\` (request id, metrics, rate limiter off,`,
    `pino at warn level), in its own process; load from autocannon at a fixed ${RPS} req/s over loopback. Latency is`,
    'per response as timed by autocannon (all responses), not corrected for coordinated omission. The machine is',
    'shared, so these figures include whatever else was running.',
    '',
    markdownTable([
      {
        'target req/s': RPS,
        'duration s': durationSeconds,
        requests: r.requests,
        'achieved req/s': Number(r.achievedRps.toFixed(1)),
        'p50 ms': ms(r.latency.p50Ms),
        'p90 ms': ms(r.latency.p90Ms),
        'p99 ms': ms(r.latency.p99Ms),
        'max ms': ms(r.latency.maxMs),
        errors: r.errors,
        'RSS before MiB': mib(r.rssBeforeBytes),
        'RSS after MiB': mib(r.rssAfterBytes),
      },
    ]),
  ].join('\n');
  return { results: { targetRps: RPS, durationSeconds, ...r }, markdown };
};

export default suite;

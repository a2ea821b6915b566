// `npm run bench -- service [--quick]`: p50/p99 latency and errors at 200 requests/s against a trivial route of
// a real service (its own process, loopback only), plus the service's resident memory before and after.
import { join } from 'node:path';
import { residentMemoryBytes, runLoad, startChildService } from '@moe/load';
import { markdownTable, repoRoot, type BenchSuite } from '../report.js';

const RPS = 200;

const suite: BenchSuite = async ({ quick, log }) => {
  const durationSeconds = quick ? 10 : 60;
  const server = await startChildService(join(repoRoot, 'tools', 'load', 'src', 'serve.ts'), { cwd: repoRoot });
  try {
    const target = `${server.url}/api/bench/ping`;
    const rssBefore = await residentMemoryBytes(server.url);
    log(`target ${target}; ${RPS} req/s for ${durationSeconds} s; RSS before ${(rssBefore / 2 ** 20).toFixed(1)} MiB`);
    const r = await runLoad({ url: target, rps: RPS, durationSeconds });
    const rssAfter = await residentMemoryBytes(server.url);
    log(`p50 ${r.latency.p50Ms.toFixed(3)} ms, p99 ${r.latency.p99Ms.toFixed(3)} ms, errors ${r.errors}, RSS after ${(rssAfter / 2 ** 20).toFixed(1)} MiB`);
    const results = { ...r, rssBeforeBytes: rssBefore, rssAfterBytes: rssAfter };
    const markdown = [
      `Trivial route \`GET /api/bench/ping\` of a service built by \`createService\` (validation, request id, metrics,`,
      `pino at warn level, rate limiter off), in its own process; load by autocannon at a fixed ${RPS} req/s on loopback.`,
      'Latencies are per response (autocannon timing, all responses), not corrected for coordinated omission.',
      '',
      markdownTable([
        {
          'target req/s': RPS,
          'duration s': durationSeconds,
          requests: r.requests,
          'achieved req/s': Number(r.achievedRps.toFixed(1)),
          'p50 ms': Number(r.latency.p50Ms.toFixed(3)),
          'p90 ms': Number(r.latency.p90Ms.toFixed(3)),
          'p99 ms': Number(r.latency.p99Ms.toFixed(3)),
          'max ms': Number(r.latency.maxMs.toFixed(3)),
          errors: r.errors,
          'RSS before MiB': Number((rssBefore / 2 ** 20).toFixed(1)),
          'RSS after MiB': Number((rssAfter / 2 ** 20).toFixed(1)),
        },
      ]),
    ].join('\n');
    return { results, markdown };
  } finally {
    const code = await server.stop();
    if (code !== 0) log(`service exited with code ${code}; stderr tail:\n${server.stderr().slice(-2000)}`);
  }
};

export default suite;

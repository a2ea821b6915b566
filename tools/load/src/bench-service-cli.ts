// `npm run moe -- tools/load/src/bench-service-cli.ts [--rps 200] [--duration 60]`: runs the trivial-service
// benchmark and prints its ServiceBenchmarkResult as one JSON line (progress on stderr).
import { numberArg, parseArgs } from './cli-args.js';
import { benchmarkTrivialService } from './service-benchmark.js';

const args = parseArgs(process.argv.slice(2));
const result = await benchmarkTrivialService({
  rps: numberArg(args, 'rps', 200),
  durationSeconds: numberArg(args, 'duration', 60),
  log: (m) => process.stderr.write(`${m}\n`),
});
process.stdout.write(`${JSON.stringify(result)}\n`);

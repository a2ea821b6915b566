// Fuzzer CLI: `npm run moe -- tools/fuzz/src/main.ts --url http://127.0.0.1:3000 [--count 1000] [--seed 1]
// [--api-key KEY] [--body-limit 1048576]`. Prints the JSON FuzzReport; exits 1 when any case failed.
import { runFuzz } from './run-fuzz.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const url = arg('url');
if (url === undefined) {
  process.stderr.write('usage: main.ts --url <http://127.0.0.1:PORT> [--count 1000] [--seed 1] [--api-key KEY] [--body-limit BYTES]\n');
  process.exit(2);
}
const apiKey = arg('api-key');
const report = await runFuzz({
  baseUrl: url,
  count: Number(arg('count') ?? 1000),
  seed: Number(arg('seed') ?? 1),
  ...(apiKey !== undefined ? { apiKey } : {}),
  bodyLimitBytes: Number(arg('body-limit') ?? 1024 * 1024),
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(report.failures.length === 0 && report.aliveAfter ? 0 : 1);

// Load generator: `npm run moe -- tools/load/src/main.ts --url http://127.0.0.1:3000/healthz --rps 200 --duration 60`
// Prints a JSON LoadResult on stdout. Loopback targets only.
import { numberArg, parseArgs } from './cli-args.js';
import { runLoad } from './run-load.js';

const args = parseArgs(process.argv.slice(2));
const url = args.get('url');
if (url === undefined) {
  process.stderr.write('usage: main.ts --url <http://127.0.0.1:PORT/path> [--rps 200] [--duration 60] [--connections N] [--method GET] [--body JSON] [--api-key KEY]\n');
  process.exit(2);
}
const headers: Record<string, string> = {};
const body = args.get('body');
if (body !== undefined) headers['content-type'] = 'application/json';
const key = args.get('api-key');
if (key !== undefined) headers['x-api-key'] = key;
const result = await runLoad({
  url,
  rps: numberArg(args, 'rps', 200),
  durationSeconds: numberArg(args, 'duration', 60),
  ...(args.has('connections') ? { connections: numberArg(args, 'connections', 10) } : {}),
  method: args.get('method') ?? 'GET',
  ...(body !== undefined ? { body } : {}),
  headers,
});
process.stdout.write(`${JSON.stringify(result)}\n`);

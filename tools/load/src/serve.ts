// A service with only the trivial route, for load tests: prints one JSON line {ready, url, pid} when listening
// (see startChildService).
// `npm run moe -- tools/load/src/serve.ts [--port 0]`
import { pino } from 'pino';
import { closeOnSignals, createService } from '@moe/service';
import { numberArg, parseArgs } from './cli-args.js';
import { trivialApp } from './trivial-app.js';

const args = parseArgs(process.argv.slice(2));
// Rate limiting off: the point is the service's own cost at a given rate, not the limiter's refusals.
// Logs at warn: an info line per request would measure stdout, not the service.
const service = createService({ apps: [trivialApp], logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }), limits: { rateLimit: false } });
const { url } = await service.listen({ port: numberArg(args, 'port', 0) });
closeOnSignals(service);
process.stdout.write(`${JSON.stringify({ ready: true, url, pid: process.pid })}\n`);

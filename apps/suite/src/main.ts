// `npm start`: the suite on embedded defaults (SQLite under .data/, no Redis) at http://localhost:3000.
import { closeOnSignals, type ServiceLimits } from '@moe/service';
import { startSuite } from './start-suite.js';

/** MOE_RATE_LIMIT=off, or MOE_RATE_LIMIT=<burst>/<perSecond> (default 200/100 per client). */
function rateLimitFromEnv(): Partial<ServiceLimits> {
  const v = process.env.MOE_RATE_LIMIT;
  if (v === undefined || v === '') return {};
  if (v === 'off') return { rateLimit: false };
  const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(v);
  if (!m) {
    process.stderr.write(`MOE_RATE_LIMIT must be 'off' or '<burst>/<perSecond>', e.g. 200/100; got '${v}'\n`);
    process.exit(2);
  }
  return { rateLimit: { burst: Number(m[1]), perSecond: Number(m[2]) } };
}

const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`PORT must be an integer in 0..65535; got '${process.env.PORT}'\n`);
  process.exit(2);
}
const host = process.env.HOST ?? '127.0.0.1';
const suite = await startSuite({ port, host, strictApps: process.env.MOE_STRICT_APPS === '1', limits: rateLimitFromEnv() }).catch((err: unknown) => {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`port ${port} on ${host} is already in use: stop the other process or set PORT (PORT=0 picks a free one)\n`);
    process.exit(1);
  }
  throw err;
});
// Before announcing readiness: a parent that signals right after the ready line must get a graceful stop.
closeOnSignals(suite.service, () => suite.db.close());
process.stderr.write(`\n  MoE suite: dashboard ${suite.url}/   API docs ${suite.url}/docs\n\n`);
// Children that start the suite (tests) read this line to learn the port when PORT=0.
if (process.env.MOE_PRINT_READY === '1') process.stdout.write(`${JSON.stringify({ ready: true, url: suite.url, port: suite.port })}\n`);

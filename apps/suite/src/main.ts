// `npm start`: the suite on embedded defaults (SQLite under .data/, no Redis) at http://localhost:3000.
import { closeOnSignals } from '@moe/service';
import { startSuite } from './start-suite.js';

const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`PORT must be an integer in 0..65535; got '${process.env.PORT}'\n`);
  process.exit(2);
}
const suite = await startSuite({ port, host: process.env.HOST ?? '127.0.0.1', strictApps: process.env.MOE_STRICT_APPS === '1' });
process.stderr.write(`\n  MoE suite: dashboard ${suite.url}/   API docs ${suite.url}/docs\n\n`);
// Children that start the suite (tests) read this line to learn the port when PORT=0.
if (process.env.MOE_PRINT_READY === '1') process.stdout.write(`${JSON.stringify({ ready: true, url: suite.url, port: suite.port })}\n`);
closeOnSignals(suite.service, () => suite.db.close());

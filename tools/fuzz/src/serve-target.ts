// The fuzz target as a real service in its own process: a fresh SQLite database in a temp directory, one
// API key, rate limits high enough not to mask validation. Prints {ready, url, apiKey, bodyLimitBytes}.
// `npm run moe -- tools/fuzz/src/serve-target.ts`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApiKey, openDb } from '@moe/db';
import { closeOnSignals, createService } from '@moe/service';
import { fuzzTargetApp } from './target-app.js';

const dir = mkdtempSync(join(tmpdir(), 'moe-fuzz-target-'));
const db = await openDb({ dataDir: dir });
const key = await createApiKey(db, { name: 'fuzzer' });
const bodyLimitBytes = 256 * 1024;
const service = createService({
  apps: [fuzzTargetApp],
  db,
  logger: pino({ level: process.env.LOG_LEVEL ?? 'error' }),
  limits: { bodyBytes: bodyLimitBytes, rateLimit: { burst: 100_000, perSecond: 100_000 } },
});
const { url } = await service.listen({ port: 0 });
closeOnSignals(service, async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});
process.stdout.write(`${JSON.stringify({ ready: true, url, apiKey: key.secret, bodyLimitBytes })}\n`);

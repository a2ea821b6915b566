import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AppModule } from '@moe/service';
import { afterAll, describe, expect, it } from 'vitest';
import { startSuite } from './start-suite.js';

const dataDir = mkdtempSync(join(tmpdir(), 'moe-start-suite-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('startSuite', () => {
  it('stops the apps it started when the port is taken, and reports why', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const events: string[] = [];
    const probe: AppModule = { name: 'probe', title: 'Probe', routes: [], onStart: () => void events.push('start'), onStop: () => void events.push('stop') };
    try {
      await expect(
        startSuite({ port, dataDir, logger: pino({ level: 'silent' }), apps: [{ name: 'probe', title: 'Probe', packageName: '@moe/probe', load: async () => ({ appModule: probe }) }] }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(events).toEqual(['start', 'stop']);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildService } from './child-service.js';

const dir = mkdtempSync(join(tmpdir(), 'moe-child-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running and not a zombie. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('startChildService', () => {
  it('kills a child that never reports ready instead of leaving it running', async () => {
    const pidFile = join(dir, 'pid');
    const script = join(dir, 'never-ready.mjs');
    writeFileSync(script, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    await expect(startChildService(script, { timeoutMs: 1500 })).rejects.toThrow(/did not report ready within 1500 ms/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });

  it('resolves with the ready line and stops the child gracefully', async () => {
    const script = join(dir, 'ready.mjs');
    writeFileSync(script, `process.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\nconsole.log(JSON.stringify({ ready: true, url: 'http://127.0.0.1:1', extra: 1 }));\n`);
    const child = await startChildService(script);
    expect(child.ready).toEqual({ ready: true, url: 'http://127.0.0.1:1', extra: 1 });
    expect(await child.stop()).toBe(0);
  });
});

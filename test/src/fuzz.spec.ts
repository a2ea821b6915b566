/**
 * Fuzz tests. First, a real service (the fuzz target app over createService, SQLite, its own process on loopback)
 * receives over a thousand malformed requests derived from its own OpenAPI document — bad JSON, wrong
 * types, NaN/Infinity, huge bodies, unknown fields, path traversal in names, bad query values, malformed
 * HTTP. Every answer must be a 4xx JSON error, none a 5xx, and the service must still be up afterwards.
 * Second, the same against the whole suite (`npm start`'s process), i.e. every mounted app's routes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFuzz } from '@moe/fuzz';
import { startChildService, type ChildService } from '@moe/load';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let target: ChildService;

beforeAll(async () => {
  target = await startChildService(join(repoRoot, 'tools', 'fuzz', 'src', 'serve-target.ts'), { cwd: repoRoot });
});
afterAll(async () => {
  await target?.stop();
});

describe('fuzzing a live service', () => {
  it('answers 1,000+ malformed requests with 4xx JSON errors, no 5xx, and stays up', async () => {
    const report = await runFuzz({
      baseUrl: target.url,
      count: 1200,
      seed: 20261123,
      apiKey: String(target.ready.apiKey),
      bodyLimitBytes: Number(target.ready.bodyLimitBytes),
    });
    expect(report.sent).toBeGreaterThanOrEqual(1000);
    expect(report.operations).toBeGreaterThanOrEqual(5);
    // Every category the brief names is exercised.
    for (const kind of ['bad-json', 'wrong-type', 'nan-infinity', 'huge-body', 'unknown-field', 'path-traversal', 'raw-http']) {
      expect(report.byKind[kind] ?? 0, kind).toBeGreaterThan(0);
    }
    expect(report.failures, JSON.stringify(report.failures.slice(0, 10), null, 2)).toEqual([]);
    expect(Object.keys(report.byStatus).every((s) => Number(s) >= 400 && Number(s) < 500)).toBe(true);
    expect(report.aliveAfter).toBe(true);
    expect(target.process.exitCode).toBeNull();
    // The service must still do real work, not just refuse things.
    const ok = await fetch(`${target.url}/api/target/models/mmoe/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"instances":[[0]]}' });
    expect(await ok.json()).toEqual({ scores: [0.5] });
  });

  it('finds no 5xx and no accepted malformed request in the suite with every mounted app', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moe-fuzz-suite-'));
    // Rate limit raised so that refusals come from validation, not from the limiter.
    const suite = await startChildService(join(repoRoot, 'apps', 'suite', 'src', 'main.ts'), {
      cwd: repoRoot,
      env: { PORT: '0', MOE_DATA_DIR: dataDir, MOE_PRINT_READY: '1', LOG_LEVEL: 'error', MOE_RATE_LIMIT: '100000/100000', DATABASE_URL: '' },
      timeoutMs: 120_000,
    });
    try {
      const apiKey = readFileSync(join(dataDir, 'dev-api-key.txt'), 'utf8').trim();
      const report = await runFuzz({ baseUrl: suite.url, count: 1000, seed: 7, apiKey });
      expect(report.sent).toBeGreaterThanOrEqual(1000);
      expect(report.failures, JSON.stringify(report.failures.slice(0, 10), null, 2)).toEqual([]);
      expect(report.aliveAfter).toBe(true);
    } finally {
      expect(await suite.stop()).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

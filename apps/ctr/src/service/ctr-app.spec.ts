import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@moe/kernels';
import { useBackend } from '@moe/testing';
import { createService, staticApiKeyVerifier } from '@moe/service';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { createCtrApp, type CtrApp } from './ctr-app.js';

describe('ctr service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-app-'));
  let app: CtrApp;
  let service: ReturnType<typeof createService>;
  let url = '';
  const key = 'ctr-test-key-0123456789';
  const post = (path: string, body: unknown, auth = true) =>
    fetch(`${url}/api/ctr${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { 'x-api-key': key } : {}) }, body: JSON.stringify(body) });
  const rows = generateSynthetic({ rows: 20, seed: 9, numUsers: 50, numItems: 30, numDomains: 4 }).rows.map(({ click: _c, ts: _t, ...r }) => r);
  const trainBody = (seed: number) => ({ config: { data: { synthetic: { rows: 2500, seed, numUsers: 60, numItems: 40, numDomains: 4 } }, model: { kind: 'adaptdhm', clusters: 2, hidden: [16] }, training: { epochs: 1, batchSize: 256 } } });

  async function waitForRun(id: number): Promise<{ status: string; metrics: Record<string, [number, number][]>; error?: string }> {
    for (;;) {
      const run = (await (await fetch(`${url}/api/ctr/train/${id}`)).json()) as { status: string; metrics: Record<string, [number, number][]>; error?: string };
      if (run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    await useBackend('wasm');
    app = createCtrApp({ artifactsDir: dir, maxBatch: 8 });
    service = createService({ apps: [app.module], logger: pino({ level: 'silent' }), apiKeys: staticApiKeyVerifier([{ name: 'test', secret: key }]) });
    ({ url } = await service.listen({ port: 0 }));
  });
  afterAll(async () => service.close());

  it('answers 503 before a model exists, trains one through POST /train (API key) and stores its metrics', async () => {
    expect((await post('/predict', { rows: rows.slice(0, 1) }, false)).status).toBe(503);
    expect((await post('/train', trainBody(1), false)).status).toBe(401);
    const bad = await post('/train', { config: { data: { path: '/etc/passwd' }, model: { kind: 'star' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/data.path/);
    const res = await post('/train', trainBody(1));
    expect(res.status).toBe(202);
    const run = await waitForRun(((await res.json()) as { runId: number }).runId);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(run.metrics.train_loss.length).toBe(1);
    expect(run.metrics.test_auc[0][1]).toBeGreaterThan(0);
  });

  it('predicts per-task probabilities for raw rows', async () => {
    const res = await post('/predict', { rows: rows.slice(0, 3) }, false);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { domain: string; probabilities: { click: number }; route?: number }[] };
    expect(body.predictions).toHaveLength(3);
    for (const p of body.predictions) {
      expect(p.probabilities.click).toBeGreaterThan(0);
      expect(p.probabilities.click).toBeLessThan(1);
      expect(p.route).toBeGreaterThanOrEqual(0);
    }
  });

  it('answers 400 naming the field for an unknown domain, a missing field, a wrong type, and an oversized batch', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...rows[0], domain: 'nowhere' }, /unknown domain 'nowhere'/],
      [{ ...rows[0], price: undefined }, /missing field 'price'/],
      [{ ...rows[0], activity: 'lots' }, /field .activity. expected a finite number, got string/],
    ];
    for (const [row, message] of cases) {
      const res = await post('/predict', { rows: [rows[1], row] }, false);
      expect(res.status).toBe(400);
      const text = JSON.stringify(await res.json());
      expect(text).toMatch(message);
      expect(text).toMatch(/body\.rows\.1\./);
    }
    expect((await post('/predict', { rows: Array(9).fill(rows[0]) }, false)).status).toBe(400);
  });

  it('hot-swaps to a new version without failing requests in flight', async () => {
    const before = app.slot.current!.version;
    const inFlight = Array.from({ length: 12 }, () => post('/predict', { rows: rows.slice(0, 8) }, false));
    const res = await post('/train', trainBody(2));
    const run = await waitForRun(((await res.json()) as { runId: number }).runId);
    expect(run.status).toBe('succeeded');
    const more = Array.from({ length: 4 }, () => post('/predict', { rows: rows.slice(0, 2) }, false));
    const statuses = (await Promise.all([...inFlight, ...more])).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(app.slot.current!.version).not.toBe(before);
    const dash = (await (await fetch(`${url}/api/ctr/dashboard`)).json()) as { status: string };
    expect(dash.status).toMatch(/serving adaptdhm/);
  });
});

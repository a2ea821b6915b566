import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openDb, revokeApiKey, type Db } from '@moe/db';
import { createService, dbApiKeyVerifier, defineRoute, HttpError, safeName, type AppModule, type Service } from './index.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const demo: AppModule = {
  name: 'demo',
  title: 'Demo',
  routes: [
    defineRoute({
      method: 'get', path: '/models/:name', summary: 'one model',
      params: z.object({ name: safeName }),
      query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) }),
      handler: ({ params, query }) => ({ name: params.name, limit: query.limit }),
    }),
    defineRoute({
      method: 'post', path: '/models/:name/train', summary: 'train', scope: 'demo:train', status: 202,
      params: z.object({ name: safeName }),
      body: z.strictObject({ epochs: z.number().int().min(1).max(100), lr: z.number().positive() }),
      handler: ({ params, body, apiKey }) => ({ name: params.name, epochs: body.epochs, by: apiKey?.name }),
    }),
    defineRoute({
      method: 'post', path: '/predict', summary: 'predict (read-only POST)', auth: false,
      body: z.strictObject({ x: z.array(z.number()).min(1).max(8) }),
      handler: ({ body, metrics }) => {
        metrics.observeInference({ app: 'demo', model: 'm' }, 0.002);
        metrics.setExpertLoad('demo', 'layer0', [0.5, 0.25, 0.25]);
        return { y: body.x.reduce((a, b) => a + b, 0) };
      },
    }),
    defineRoute({ method: 'get', path: '/boom', summary: 'throws', handler: () => { throw new Error('secret internal detail at /srv/x.ts:12'); } }),
    defineRoute({ method: 'get', path: '/teapot', summary: 'app error', handler: () => { throw new HttpError('conflict', 'model is training', { path: 'params.name' }); } }),
    defineRoute({
      method: 'get', path: '/slow', summary: 'slow', query: z.object({ ms: z.coerce.number().int().min(0).max(5000) }),
      handler: async ({ query, signal }) => {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, query.ms);
          signal.addEventListener('abort', () => { clearTimeout(t); resolve(); });
        });
        return { aborted: signal.aborted };
      },
    }),
  ],
};

let tmp: string;
let db: Db;
let secret: string;
let narrowSecret: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'moe-service-spec-'));
  db = await openDb({ dataDir: tmp });
  secret = (await createApiKey(db, { name: 'full' })).secret;
  narrowSecret = (await createApiKey(db, { name: 'narrow', scopes: ['other:train'] })).secret;
});
afterAll(async () => {
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function withService<T>(opts: Partial<Parameters<typeof createService>[0]>, fn: (url: string, s: Service) => Promise<T>): Promise<T> {
  const s = createService({ apps: [demo], db, logger: silent, ...opts });
  const { url } = await s.listen();
  try {
    return await fn(url, s);
  } finally {
    await s.close();
  }
}

async function call(url: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const r = await fetch(url + path, { ...init, headers, body });
  const text = await r.text();
  let json: { error?: { code: string; message: string; path?: string; requestId?: string } } & Record<string, unknown> = {};
  try { json = JSON.parse(text); } catch { /* non-JSON bodies are checked by the caller */ }
  return { status: r.status, headers: r.headers, text, json };
}

describe('createService', () => {
  it('validates params, query and body, naming the field, the expectation and what was received', async () => {
    await withService({}, async (url) => {
      expect((await call(url, '/api/demo/models/mmoe?limit=3')).json).toEqual({ name: 'mmoe', limit: 3 });
      const q = await call(url, '/api/demo/models/mmoe?limit=abc');
      expect(q.status).toBe(400);
      expect(q.json.error).toMatchObject({ code: 'invalid_request', path: 'query.limit', message: expect.stringMatching(/expected number.*got "abc"/) });
      const p = await call(url, '/api/demo/models/..%2F..%2Fetc%2Fpasswd');
      expect(p.json.error).toMatchObject({ code: 'invalid_request', path: 'params.name' });
      const b = await call(url, '/api/demo/predict', { method: 'POST', json: { x: ['1'] } });
      expect(b.json.error).toMatchObject({ path: 'body.x.0', message: expect.stringMatching(/expected number, received string; got "1"/) });
      const u = await call(url, '/api/demo/predict', { method: 'POST', json: { x: [1], extra: true } });
      expect(u.json.error).toMatchObject({ path: 'body.extra', message: "body.extra: unknown field 'extra' (not allowed here)" });
      const inf = await call(url, '/api/demo/predict', { method: 'POST', body: '{"x":[1e400]}', headers: { 'content-type': 'application/json' } });
      expect(inf.json.error).toMatchObject({ path: 'body.x.0', message: expect.stringMatching(/Infinity/) });
    });
  });

  it('answers unknown routes, bad JSON, wrong media types and oversized bodies with JSON 4xx errors', async () => {
    await withService({ limits: { bodyBytes: 1024 } }, async (url) => {
      const nf = await call(url, '/api/nope');
      expect([nf.status, nf.json.error?.code, nf.headers.get('content-type')]).toEqual([404, 'not_found', 'application/json; charset=utf-8']);
      expect((await call(url, '/api/demo/models/x', { method: 'DELETE' })).status).toBe(404);
      const bad = await call(url, '/api/demo/predict', { method: 'POST', body: '{"x": [1,', headers: { 'content-type': 'application/json' } });
      expect([bad.status, bad.json.error?.code]).toEqual([400, 'invalid_json']);
      const media = await call(url, '/api/demo/predict', { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect([media.status, media.json.error?.code]).toEqual([415, 'unsupported_media_type']);
      const big = await call(url, '/api/demo/predict', { method: 'POST', json: { x: [1], pad: 'y'.repeat(5000) } });
      expect([big.status, big.json.error?.code, big.json.error?.message]).toEqual([413, 'payload_too_large', 'request body exceeds the limit of 1024 bytes']);
    });
  });

  it('never leaks stack traces or internal messages, and passes HttpErrors through', async () => {
    await withService({}, async (url) => {
      const r = await call(url, '/api/demo/boom', { headers: { 'x-request-id': 'trace-42' } });
      expect(r.status).toBe(500);
      expect(r.json.error).toEqual({ code: 'internal', message: 'internal error; quote request id trace-42 when reporting it', requestId: 'trace-42' });
      expect(r.text).not.toMatch(/secret|\.ts|at /);
      expect(r.headers.get('x-request-id')).toBe('trace-42');
      const c = await call(url, '/api/demo/teapot');
      expect([c.status, c.json.error?.code, c.json.error?.path]).toEqual([409, 'conflict', 'params.name']);
    });
  });

  it('requires a valid API key with the scope on mutating routes (hashed keys from the database)', async () => {
    await withService({ apiKeys: dbApiKeyVerifier(db, { cacheTtlMs: 0 }) }, async (url) => {
      const train = (headers: Record<string, string>) => call(url, '/api/demo/models/m1/train', { method: 'POST', json: { epochs: 2, lr: 0.1 }, headers });
      expect((await train({})).json.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/needs an API key/) });
      expect((await train({ 'x-api-key': 'moe_wrong' })).json.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/not recognised/) });
      expect((await train({ 'x-api-key': narrowSecret })).json.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/scope 'demo:train'/) });
      const ok = await train({ authorization: `Bearer ${secret}` });
      expect([ok.status, ok.json]).toEqual([202, { name: 'm1', epochs: 2, by: 'full' }]);
      expect((await call(url, '/api/demo/predict', { method: 'POST', json: { x: [1, 2] } })).json).toEqual({ y: 3 });
      const temp = await createApiKey(db, { name: 'temp' });
      expect((await train({ 'x-api-key': temp.secret })).status).toBe(202);
      await revokeApiKey(db, temp.id);
      expect((await train({ 'x-api-key': temp.secret })).status).toBe(401);
    });
  });

  it('answers 503 (not 500) when the key store is unreachable', async () => {
    const down = { verify: async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:5432'); } };
    await withService({ apiKeys: down }, async (url) => {
      const r = await call(url, '/api/demo/models/m1/train', { method: 'POST', json: { epochs: 2, lr: 0.1 }, headers: { 'x-api-key': secret } });
      expect(r.status).toBe(503);
      expect(r.json.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/database not reachable/) });
      expect(r.text).not.toMatch(/ECONNREFUSED/);
    });
  });

  it('rate-limits per client with a token bucket, answering 429 JSON with Retry-After', async () => {
    await withService({ limits: { rateLimit: { burst: 3, perSecond: 1 } } }, async (url) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(url, '/api/demo/models/a')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const r = await call(url, '/api/demo/models/a');
      expect(r.json.error?.code).toBe('rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Probes are not rate-limited: a throttled client must not look dead to the orchestrator.
      expect((await call(url, '/healthz')).status).toBe(200);
      const metrics = await call(url, '/metrics');
      expect(metrics.text).toMatch(/http_rate_limited_total 3/);
    });
  });

  it('serves health, readiness and Prometheus metrics with request, inference and expert-load series', async () => {
    await withService({}, async (url) => {
      expect((await call(url, '/healthz')).json).toEqual({ status: 'ok' });
      expect((await call(url, '/readyz')).json).toMatchObject({ status: 'ready' });
      await call(url, '/api/demo/predict', { method: 'POST', json: { x: [1] } });
      const m = (await call(url, '/metrics')).text;
      expect(m).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/demo\/predict",status="200"\} 1/);
      expect(m).toMatch(/moe_inference_duration_seconds_count\{app="demo",model="m"\} 1/);
      expect(m).toMatch(/moe_expert_load\{app="demo",layer="layer0",expert="1"\} 0.25/);
      expect(m).toMatch(/process_resident_memory_bytes \d+/);
      expect(m).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/);
      await call(url, '/random/path/1');
      await call(url, '/random/path/2');
      expect((await call(url, '/metrics')).text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 2/);
    });
  });

  it('publishes an OpenAPI 3.1 document generated from the zod schemas, and a docs page', async () => {
    await withService({}, async (url) => {
      const doc = (await call(url, '/openapi.json')).json as unknown as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; additionalProperties?: boolean } }> }; security?: unknown }>> };
      expect(doc.openapi).toBe('3.1.0');
      const train = doc.paths['/api/demo/models/{name}/train']?.post;
      expect(train?.parameters).toEqual([expect.objectContaining({ name: 'name', in: 'path' })]);
      expect(train?.requestBody?.content['application/json']?.schema).toMatchObject({ properties: { epochs: { type: 'integer', minimum: 1, maximum: 100 }, lr: { type: 'number' } }, additionalProperties: false });
      expect(train?.security).toBeDefined();
      expect(doc.paths['/api/demo/predict']?.post?.security).toBeUndefined();
      expect(doc.paths['/api/demo/models/{name}']?.get?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:name', 'query:limit']);
      const page = await call(url, '/docs');
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('/openapi.json');
    });
  });

  it('drains in-flight requests on close, then runs onStop; past the grace period it aborts them', async () => {
    const events: string[] = [];
    const app: AppModule = { ...demo, onStart: () => void events.push('start'), onStop: () => void events.push(`stop`) };
    const s = createService({ apps: [app], logger: silent, limits: { shutdownGraceMs: 5000 } });
    const { url } = await s.listen();
    const slow = call(url, '/api/demo/slow?ms=400');
    await sleep(100);
    expect(s.inFlight).toBe(1);
    const closed = s.close().then(() => events.push('closed'));
    const r = await slow;
    await closed;
    expect([r.status, r.json]).toEqual([200, { aborted: false }]);
    expect(events).toEqual(['start', 'stop', 'closed']);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    const s2 = createService({ apps: [demo], logger: silent, limits: { shutdownGraceMs: 200 } });
    const { url: url2 } = await s2.listen();
    const stuck = call(url2, '/api/demo/slow?ms=5000').catch((e: unknown) => e);
    await sleep(100);
    const t0 = Date.now();
    await s2.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    await stuck;
  });
});

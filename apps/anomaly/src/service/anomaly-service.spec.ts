import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@moe/db';
import { useBackend } from '@moe/testing';
import { realImagePath } from '@moe/vision';
import { createService, dashboardDataSchema, type Service } from '@moe/service';
import { createAnomalyApp } from '../app-module.js';
import { DEFAULT_STREAM_CONFIG } from '../data/synthetic-config.js';
import { createSyntheticWorld, generateVideo } from '../data/synthetic-streams.js';

let dir: string;
let db: Db;
let service: Service;
let url: string;
let clip: Uint8Array;

beforeAll(async () => {
  await useBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'anomaly-service-'));
  db = await openDb({ dataDir: dir, env: {} });
  service = createService({
    apps: [createAnomalyApp({ maxSnippets: 64 }), { ...createAnomalyApp({ modelDir: join(dir, 'missing'), maxClipBytes: 1000 }), name: 'anomaly-nomodel' }],
    db,
    logger: pino({ level: 'silent' }),
    limits: { rateLimit: false },
  });
  url = (await service.listen()).url;
  // A 4-second clip of the real campus video, cut without re-encoding.
  execFileSync('ffmpeg', ['-v', 'error', '-i', realImagePath('vtest.avi'), '-frames:v', '40', '-c', 'copy', join(dir, 'clip.avi')]);
  clip = readFileSync(join(dir, 'clip.avi'));
});

afterAll(async () => {
  await service.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A JSON reply; tests read fields they expect by path, so the body is typed loosely on purpose. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

const world = createSyntheticWorld(DEFAULT_STREAM_CONFIG, 99);
const video = generateVideo(world, 1, 5, 'v');
const rows = Array.from({ length: video.length }, (_, t) => Array.from(video.features.subarray(t * 32, (t + 1) * 32)));

describe('anomaly service', () => {
  it('scores a video: one probability and one expert class per snippet', async () => {
    const { status, json } = await call('POST', '/api/anomaly/score', { features: rows });
    expect(status).toBe(200);
    expect(json.method).toBe('gsmoe');
    expect(json.scores).toHaveLength(video.length);
    expect(json.scores.every((s: number) => s >= 0 && s <= 1)).toBe(true);
    expect(json.expert.every((e: string) => json.classes.includes(e))).toBe(true);
    expect(json.classes).toEqual(DEFAULT_STREAM_CONFIG.classes.map((c) => c.name));
    // The burst event scores above the snippets outside it, on average.
    const inside = json.scores.filter((_: number, t: number) => video.truth![t] === 1);
    const outside = json.scores.filter((_: number, t: number) => video.truth![t] === 0);
    expect(inside.reduce((a: number, b: number) => a + b, 0) / inside.length).toBeGreaterThan(outside.reduce((a: number, b: number) => a + b, 0) / outside.length);
  });

  it('answers 4xx naming the field for bad input', async () => {
    const wrongDim = await call('POST', '/api/anomaly/score', { features: [rows[0], rows[1].slice(0, 5)] });
    expect(wrongDim.status).toBe(400);
    expect(wrongDim.json.error.path).toBe('body.features.1');
    expect(wrongDim.json.error.message).toMatch(/expected 32 numbers .* got 5/);
    const notNumbers = await call('POST', '/api/anomaly/score', { features: [['a']] });
    expect(notNumbers.status).toBe(400);
    expect(notNumbers.json.error.path).toBe('body.features.0.0');
    expect((await call('POST', '/api/anomaly/score', { features: rows, extra: 1 })).status).toBe(400);
    expect((await call('POST', '/api/anomaly/score', { features: [] })).status).toBe(400);
    const tooMany = await call('POST', '/api/anomaly/score', { features: Array.from({ length: 65 }, () => rows[0]) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error.message).toMatch(/at most 64 snippets/);
    const noModel = await call('POST', '/api/anomaly-nomodel/score', { features: rows });
    expect(noModel.status).toBe(503);
    expect(noModel.json.error.message).toMatch(/no anomaly model loaded/);
  });

  it('scores an uploaded clip: ffmpeg frames → frozen-backbone features → one score per 8-frame snippet', async () => {
    const res = await fetch(`${url}/api/anomaly/score-clip`, { method: 'POST', headers: { 'content-type': 'video/x-msvideo' }, body: clip });
    const json = (await res.json()) as { snippets: number; frames: number; scores: number[]; classes: string[]; expert: string[] };
    expect(res.status, JSON.stringify(json)).toBe(200);
    expect(json.frames).toBe(40);
    expect(json.snippets).toBe(5);
    expect(json.classes).toEqual(['occlusion', 'shake', 'object']);
    expect(json.scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    const post = (path: string, type: string, body: Uint8Array) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as { error: { code: string; message: string } } }));
    const garbage = await post('/api/anomaly/score-clip', 'video/mp4', new TextEncoder().encode('not a video at all'));
    expect(garbage.status).toBe(415);
    expect(garbage.json.error.message).toMatch(/not a decodable video/);
    expect((await post('/api/anomaly/score-clip', 'image/png', clip)).status).toBe(415);
    expect((await post('/api/anomaly-nomodel/score-clip', 'video/x-msvideo', clip)).status).toBe(413);
  });

  it('describes the loaded model', async () => {
    const { status, json } = await call('GET', '/api/anomaly/model');
    expect(status).toBe(200);
    expect(json.config.model.method).toBe('gsmoe');
    expect(json.parameters).toBeGreaterThan(1000);
    expect(json.config.alert.threshold).toBeGreaterThan(0);
  });

  it('lists stored alerts and draws per-camera curves with alert spans on the dashboard', async () => {
    await db.client.anomalyScore.createMany({ data: Array.from({ length: 30 }, (_, t) => ({ stream: 's', camera: 'cam-1', snippet: t, score: t >= 10 && t < 15 ? 0.9 : 0.1, expertClass: 'burst' })) });
    await db.client.anomalyAlert.create({ data: { app: 'anomaly', stream: 's', camera: 'cam-1', startSnippet: 10, endSnippet: 14, peakScore: 0.9, expertClass: 'burst', status: 'closed' } });
    const alerts = await call('GET', '/api/anomaly/alerts?camera=cam-1');
    expect(alerts.status).toBe(200);
    expect(alerts.json.alerts).toMatchObject([{ camera: 'cam-1', startSnippet: 10, endSnippet: 14, expertClass: 'burst' }]);
    expect((await call('GET', '/api/anomaly/alerts?limit=0')).status).toBe(400);
    const dash = await call('GET', '/api/anomaly/dashboard');
    expect(dash.status).toBe(200);
    const data = dashboardDataSchema.parse(dash.json);
    expect(data.charts?.[0].series.map((s) => s.name)).toEqual(['score', 'alert 10–14: burst']);
    expect(data.charts?.[0].series[0].points).toHaveLength(30);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@moe/kernels';
import { openDb, type Db } from '@moe/db';
import { createService, staticApiKeyVerifier, type Service } from '@moe/service';
import { useBackend } from '@moe/testing';
import { createRasterImage, decodeImage, encodePng, realImagePath } from '@moe/vision';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDeweatherArtifact } from '../artifact/deweather-artifact.js';
import { DeweatherNet } from '../model/deweather-net.js';
import { createDeweatherApp, type DeweatherApp } from './deweather-app.js';

const ADMIN = 'deweather-admin-key-0123456789';

describe('deweather service (real SQLite registry, wasm backend)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deweather-service-'));
  let db: Db;
  let app: DeweatherApp;
  let service: Service;
  let url = '';
  const photo = readFileSync(realImagePath('chelsea.png'));

  const post = (path: string, body: Uint8Array | string, contentType: string, key?: string) =>
    fetch(`${url}/api/deweather${path}`, { method: 'POST', headers: { 'content-type': contentType, ...(key ? { 'x-api-key': key } : {}) }, body });
  // Training steps hold the event loop for about a second; a keep-alive socket the server closed meanwhile
  // makes the next fetch fail with ECONNRESET (a client-side race of any busy Node server), so polls retry once.
  const get = async <T>(path: string): Promise<T> => {
    try {
      return (await (await fetch(`${url}/api/deweather${path}`)).json()) as T;
    } catch {
      return (await (await fetch(`${url}/api/deweather${path}`)).json()) as T;
    }
  };

  beforeAll(async () => {
    await useBackend('wasm');
    // An untrained network as the "committed default": the routes, not the restoration quality, are tested here.
    const net = new DeweatherNet({ variant: 'mofme', seed: 1 });
    await saveDeweatherArtifact(join(dir, 'default'), { net, metadata: { crop: 48, trainTypes: ['rain'], steps: 0, variant: 'mofme', metrics: { rain: { psnr: 15, ssim: 0.5, inputPsnr: 14, inputSsim: 0.4 } }, expertUsage: { rain: Array(8).fill(0.125) } } });
    net.dispose();
    db = await openDb({ dataDir: join(dir, 'db') });
    app = createDeweatherApp({ artifactsDir: join(dir, 'models'), defaultModelDir: join(dir, 'default'), maxUploadBytes: 400_000, maxPixels: 600 * 400 });
    service = createService({ apps: [app.module], db, logger: pino({ level: 'silent' }), apiKeys: staticApiKeyVerifier([{ name: 'admin', secret: ADMIN }]), limits: { rateLimit: false } });
    ({ url } = await service.listen({ port: 0 }));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await db?.close();
  });

  it('restores a real photo (chelsea.png, 451×300) to an image of the same size, with per-expert usage', async () => {
    const res = await post('/restore', photo, 'image/png');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; width: number; height: number; image: string; expertUsage: number[][] };
    expect([body.width, body.height]).toEqual([451, 300]);
    const restored = await decodeImage(Buffer.from(body.image, 'base64'));
    expect([restored.width, restored.height, restored.channels]).toEqual([451, 300, 3]);
    expect(body.expertUsage).toHaveLength(2);
    for (const layer of body.expertUsage) expect(layer.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(body.model).toBe('v1');
  }, 60_000);

  it('answers 415 for a non-image type or undecodable bytes, 413 past the byte or pixel limits', async () => {
    const text = await post('/restore', 'hello', 'text/plain');
    expect(text.status).toBe(415);
    const garbage = await post('/restore', new Uint8Array(64).fill(7), 'image/png');
    expect(garbage.status).toBe(415);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toBeTruthy();
    const huge = await post('/restore', new Uint8Array(400_001), 'image/png');
    expect(huge.status).toBe(413);
    const tooManyPixels = await encodePng(createRasterImage(700, 400, 3));
    const big = await post('/restore', tooManyPixels, 'image/png');
    expect(big.status).toBe(413);
  });

  it('POST /train needs a key, validates its body, records progress and metrics, registers and hot-swaps the model', async () => {
    expect((await post('/train', JSON.stringify({ steps: 3 }), 'application/json')).status).toBe(401);
    const bad = await post('/train', JSON.stringify({ steps: 0 }), 'application/json', ADMIN);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/steps/);
    const started = await post('/train', JSON.stringify({ steps: 3, batch: 2, trainTypes: ['rain', 'haze'] }), 'application/json', ADMIN);
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: number };
    expect((await post('/train', JSON.stringify({ steps: 3 }), 'application/json', ADMIN)).status).toBe(409);
    // Serving goes on while it trains.
    expect((await post('/restore', photo, 'image/png')).status).toBe(200);
    let run: { status: string; error: string | null; metrics: Record<string, [number, number][]>; modelVersionId: number | null };
    for (;;) {
      run = await get(`/train/${runId}`);
      if (run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(Object.keys(run.metrics)).toEqual(expect.arrayContaining(['train_loss', 'val_psnr', 'test_psnr/rain', 'test_psnr/raindrop']));
    const models = await get<{ serving: string; versions: { id: number; status: string }[] }>('/models');
    expect(models.versions).toHaveLength(2);
    expect(models.serving).toBe(`v${run.modelVersionId}`);
    // Hot swap back to the default version.
    const swap = await post('/models/1/activate', '', 'application/json', ADMIN);
    expect(swap.status).toBe(200);
    expect(((await get<{ serving: string }>('/models')).serving)).toBe('v1');
    expect((await post('/models/999/activate', '', 'application/json', ADMIN)).status).toBe(404);
  }, 120_000);

  it('serves a dashboard with degraded/restored/clean images, PSNR per weather and expert usage per weather', async () => {
    const d = await get<{ images: unknown[]; bars: { labels: string[] }[]; heatmaps: { rowLabels: string[] }[]; status: string }>('/dashboard');
    expect(d.images.length).toBe(9);
    expect(d.bars[0].labels).toContain('rain');
    expect(d.heatmaps[0].rowLabels).toContain('rain');
    expect(d.status).toMatch(/serving v1/);
  }, 60_000);
});

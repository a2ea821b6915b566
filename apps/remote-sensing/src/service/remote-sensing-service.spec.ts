import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@moe/kernels';
import { openDb, type Db } from '@moe/db';
import { createService, staticApiKeyVerifier, type Service } from '@moe/service';
import { useBackend } from '@moe/testing';
import { decodeImage, encodeTiff, readGeoTiff, realImagePath, createRasterImage } from '@moe/vision';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENE_CLASS_NAMES } from '../data/scene-classes.js';
import { createRemoteSensingApp, type RemoteSensingApp } from './remote-sensing-app.js';
import { SEGMENT_LIMITS } from './remote-sensing-routes.js';

const ADMIN = 'remote-sensing-admin-key-0123';

interface SegmentAnswer {
  width: number;
  height: number;
  model: string;
  shares: Record<string, number>;
  labelPng: string;
  labelGeoTiff?: string;
  georeferenced?: boolean;
}

describe('remote-sensing service (committed pretrained backbone, SQLite registry, wasm)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'remote-sensing-service-'));
  let db: Db;
  let app: RemoteSensingApp;
  let service: Service;
  let url = '';
  const post = (path: string, body: Uint8Array | string, contentType: string, key?: string) =>
    fetch(`${url}/api/remote-sensing${path}`, { method: 'POST', headers: { 'content-type': contentType, ...(key ? { 'x-api-key': key } : {}) }, body: typeof body === 'string' ? body : Buffer.from(body) });

  beforeAll(async () => {
    await useBackend('wasm');
    db = await openDb({ dataDir: join(dir, 'db') });
    app = createRemoteSensingApp({ artifactsDir: join(dir, 'models'), sampleTiles: 4, adaptSplits: { sourceTiles: 16, targetTiles: 16, valTiles: 8, testTiles: 8 } });
    service = createService({ apps: [app.module], db, logger: pino({ level: 'silent' }), apiKeys: staticApiKeyVerifier([{ name: 'admin', secret: ADMIN }]), limits: { rateLimit: false } });
    ({ url } = await service.listen({ port: 0 }));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await db?.close();
  });

  it('segments a real aerial photo (opencv-doc aero1.jpg) into a class-id PNG of the same size', async () => {
    const bytes = new Uint8Array(readFileSync(realImagePath('aero1.jpg')));
    const res = await post('/segment', bytes, 'image/jpeg');
    expect(res.status).toBe(200);
    const body = (await res.json()) as SegmentAnswer;
    expect([body.width, body.height]).toEqual([640, 480]);
    expect(body.model).toBe('pretrained');
    const label = await decodeImage(new Uint8Array(Buffer.from(body.labelPng, 'base64')));
    expect([label.width, label.height]).toEqual([640, 480]);
    const ids = new Set(Array.from(label.data, (v) => Math.round(v * 255)));
    for (const id of ids) expect(id).toBeLessThan(SCENE_CLASS_NAMES.length);
    expect(Object.values(body.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }, 60_000);

  it('answers a GeoTIFF with a GeoTIFF label map that keeps the georeferencing (Landsat L7_ETMs.tif)', async () => {
    const bytes = new Uint8Array(readFileSync(realImagePath('L7_ETMs.tif')));
    const input = await readGeoTiff(bytes);
    const res = await post('/segment', bytes, 'image/tiff');
    expect(res.status).toBe(200);
    const body = (await res.json()) as SegmentAnswer;
    expect(body.georeferenced).toBe(true);
    const out = await readGeoTiff(new Uint8Array(Buffer.from(body.labelGeoTiff!, 'base64')));
    expect([out.raster.width, out.raster.height, out.raster.bands]).toEqual([input.raster.width, input.raster.height, 1]);
    expect(out.georef?.modelTiepoint).toEqual(input.georef?.modelTiepoint);
    expect(out.georef?.modelPixelScale).toEqual(input.georef?.modelPixelScale);
  }, 60_000);

  it('refuses bad uploads with 4xx JSON naming the problem', async () => {
    const notImage = await post('/segment', 'hello', 'text/plain');
    expect(notImage.status).toBe(415);
    expect(((await notImage.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const garbage = await post('/segment', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'image/png');
    expect(garbage.status).toBe(415);
    const tooBig = await post('/segment', new Uint8Array(SEGMENT_LIMITS.maxBytes + 1), 'image/png');
    expect(tooBig.status).toBe(413);
    const side = Math.ceil(Math.sqrt(SEGMENT_LIMITS.maxPixels)) + 1;
    const manyPixels = await post('/segment', encodeTiff(createRasterImage(side, side, 1), { bitDepth: 8 }), 'image/tiff');
    expect(manyPixels.status).toBe(413);
    expect(await manyPixels.json()).toHaveProperty('error');
    const noKey = await post('/adapt', JSON.stringify({ method: 'rein' }), 'application/json');
    expect(noKey.status).toBe(401);
    const badMethod = await post('/adapt', JSON.stringify({ method: 'nope' }), 'application/json', ADMIN);
    expect(badMethod.status).toBe(400);
  }, 60_000);

  it('adapts in the background, stores progress and metrics in the registry, and hot-swaps the new version', async () => {
    const res = await post('/adapt', JSON.stringify({ method: 'earth-adapter', mode: 'da', steps: 4, seed: 2 }), 'application/json', ADMIN);
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: number; runId: number };
    let status: { status: string; versionId?: number; error?: string } = { status: 'running' };
    for (let i = 0; i < 600 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await (await fetch(`${url}/api/remote-sensing/adapt/${job.id}`)).json()) as typeof status;
    }
    expect(status.error).toBeUndefined();
    expect(status.status).toBe('succeeded');
    const run = await db.client.trainingRun.findUniqueOrThrow({ where: { id: job.runId }, include: { metrics: true } });
    expect(run.status).toBe('succeeded');
    expect(new Set(run.metrics.map((m) => m.name))).toEqual(new Set(['loss', 'val_miou', 'test_miou', 'test_miou_final']));
    const models = (await (await fetch(`${url}/api/remote-sensing/models`)).json()) as { serving: { label: string; method: string }; versions: { id: number; status: string }[] };
    expect(models.serving).toMatchObject({ label: `v${status.versionId}`, method: 'earth-adapter' });
    expect(models.versions[0]).toMatchObject({ id: status.versionId, status: 'production' });
    const dash = (await (await fetch(`${url}/api/remote-sensing/dashboard`)).json()) as { images: { title: string }[]; bars: { labels: string[] }[] };
    expect(dash.images.map((i) => i.title)).toContain('ground truth');
    expect(dash.images.some((i) => /router weight on low-frequency adapter, block 3/.test(i.title))).toBe(true);
    expect(dash.bars[0].labels).toEqual([...SCENE_CLASS_NAMES]);
    const missing = await fetch(`${url}/api/remote-sensing/adapt/999`);
    expect(missing.status).toBe(404);
  }, 120_000);
});

import { readFile } from 'node:fs/promises';
import { createService, defineRoute, HttpError, type AppModule } from '@moe/service';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { realImagePath } from '@moe/vision';
import { decodeUploadedImage, IMAGE_CONTENT_TYPES, readUploadedGeoTiff } from './decode-uploaded-image.js';

type ErrorJson = { error: { code: string; message: string; path?: string } };

describe('decodeUploadedImage', () => {
  it('decodes a real photo and maps decode failures to 415 / 413 HttpErrors', async () => {
    const jpeg = await readFile(realImagePath('china.jpg'));
    const img = await decodeUploadedImage(jpeg, 'image/jpeg', { maxPixels: 1e6, channels: 3 });
    expect([img.width, img.height, img.channels]).toEqual([640, 427, 3]);
    const notImage = await decodeUploadedImage(new TextEncoder().encode('GIF? no, text'), 'image/png', { maxPixels: 1e6 }).catch((e: unknown) => e);
    expect(notImage).toBeInstanceOf(HttpError);
    expect(notImage).toMatchObject({ status: 415, code: 'unsupported_media_type', path: 'body' });
    expect((notImage as Error).message).toMatch(/^expected PNG, JPEG or TIFF bytes; got 13 bytes .*\(sent as image\/png\)$/);
    const big = await decodeUploadedImage(jpeg, 'image/jpeg', { maxPixels: 1000 }).catch((e: unknown) => e);
    expect(big).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect((big as Error).message).toContain('640×427');
    await expect(decodeUploadedImage(jpeg, 'image/jpeg', {} as never)).rejects.toThrow(/options.maxPixels must be an integer ≥ 1; got undefined/);
  });

  it('end to end: an upload route answers 200 for a real image, 415 for text, 413 for too many pixels', async () => {
    const app: AppModule = {
      name: 'img',
      title: 'Img',
      routes: [
        defineRoute({
          method: 'post', path: '/size', summary: 'image size', auth: false,
          upload: { contentTypes: IMAGE_CONTENT_TYPES, maxBytes: 2_000_000 },
          handler: async ({ upload }) => {
            if (upload?.contentType === 'image/tiff') {
              const { raster, georef } = await readUploadedGeoTiff(upload, { maxPixels: 200_000 });
              return { width: raster.width, height: raster.height, channels: raster.bands, epsg: georef?.geoKeys.ProjectedCSTypeGeoKey };
            }
            const img = await decodeUploadedImage(upload!.bytes, upload!.contentType, { maxPixels: 300_000 });
            return { width: img.width, height: img.height, channels: img.channels };
          },
        }),
      ],
    };
    const service = createService({ apps: [app], logger: pino({ level: 'silent' }), limits: { rateLimit: false } });
    const { url } = await service.listen();
    try {
      const post = (body: Uint8Array | string, type: string) => fetch(`${url}/api/img/size`, { method: 'POST', headers: { 'content-type': type }, body });
      const ok = await post(await readFile(realImagePath('chelsea.png')), 'image/png');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ width: 451, height: 300, channels: 3 });
      const tif = await post(await readFile(realImagePath('L7_ETMs.tif')), 'image/tiff');
      expect(await tif.json()).toEqual({ width: 349, height: 352, channels: 6, epsg: 31985 });
      const text = await post('not an image at all', 'image/jpeg');
      expect(text.status).toBe(415);
      expect(((await text.json()) as ErrorJson).error.code).toBe('unsupported_media_type');
      const huge = await post(await readFile(realImagePath('aero1.jpg')), 'image/jpeg');
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as ErrorJson).error.message).toMatch(/640×480 = 307200 pixels; the limit is 300000/);
    } finally {
      await service.close();
    }
  });
});

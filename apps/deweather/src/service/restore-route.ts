import { z } from 'zod';
import { defineRoute, HttpError } from '@moe/service';
import { decodeUploadedImage } from '@moe/image-upload';
import { encodePng } from '@moe/vision';
import { restoreImage } from '../eval/restore-image.js';
import type { DeweatherContext } from './deweather-context.js';

const restoreResponse = z.object({
  model: z.string(),
  width: z.number(),
  height: z.number(),
  /** The restored image, PNG, base64. */
  image: z.string(),
  /** Share of token assignments per expert, per MoE layer (empty for a dense model). */
  expertUsage: z.array(z.array(z.number())),
  tiles: z.number(),
  milliseconds: z.number(),
});

/** POST /restore: a PNG/JPEG body → the restored image (same size) and per-expert usage. */
export function restoreRoute(ctx: DeweatherContext) {
  return defineRoute({
    method: 'post',
    path: '/restore',
    summary: 'Remove rain, haze, snow or raindrops from a PNG/JPEG (binary body); returns the restored PNG and per-expert usage',
    auth: false,
    upload: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: ctx.maxUploadBytes },
    response: restoreResponse,
    handler: async ({ upload, metrics }) => {
      const image = await decodeUploadedImage(upload!.bytes, upload!.contentType, { maxPixels: ctx.maxPixels, channels: 3 });
      const lease = ctx.slot.lease();
      if (!lease) throw new HttpError('unavailable', 'no deweather model is loaded yet (the default model is being prepared); retry shortly', { headers: { 'Retry-After': '5' } });
      try {
        const t0 = performance.now();
        const r = await restoreImage(lease.served.model, image, { tile: ctx.metadata?.crop ?? 48 });
        const ms = performance.now() - t0;
        metrics.observeInference({ app: 'deweather', model: lease.served.version }, ms / 1000);
        ctx.served.requests++;
        ctx.served.pixels += image.width * image.height;
        if (ctx.liveUsage.length === 0) ctx.liveUsage = r.expertCounts.map((l) => l.map(() => 0));
        r.expertCounts.forEach((l, i) => l.forEach((c, e) => (ctx.liveUsage[i][e] += c)));
        r.expertCounts.forEach((l, i) => {
          const t = l.reduce((a, b) => a + b, 0);
          metrics.setExpertLoad('deweather', `layer${i}`, l.map((c) => (t > 0 ? c / t : 0)));
        });
        const png = await encodePng(r.image);
        return {
          model: lease.served.version,
          width: r.image.width,
          height: r.image.height,
          image: Buffer.from(png).toString('base64'),
          expertUsage: r.expertCounts.map((l) => {
            const t = l.reduce((a, b) => a + b, 0);
            return l.map((c) => (t > 0 ? c / t : 0));
          }),
          tiles: r.tiles,
          milliseconds: ms,
        };
      } finally {
        lease.release();
      }
    },
  });
}

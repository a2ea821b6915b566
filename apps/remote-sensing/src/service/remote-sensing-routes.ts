import { decodeUploadedImage, readUploadedGeoTiff, IMAGE_CONTENT_TYPES } from '@moe/image-upload';
import { encodePng, writeGeoTiff, geoRasterToImage } from '@moe/vision';
import { HttpError, defineRoute, type RouteDefinition } from '@moe/service';
import { z } from 'zod';
import { SCENE_CLASS_NAMES } from '../data/scene-classes.js';
import { METHOD_KINDS } from '../model/methods/method-kind.js';
import { classIdImage } from './label-image.js';
import type { RemoteSensingContext } from './remote-sensing-context.js';
import { segmentRaster } from './segment-image.js';

/** Limits of POST /segment: bytes of the upload and decoded pixels (413 past either). */
export const SEGMENT_LIMITS = { maxBytes: 8 * 1024 * 1024, maxPixels: 4 * 1024 * 1024 };

const adaptBody = z.strictObject({
  // Required: which adaptation method runs is a deliberate choice, and an empty body must not start a run.
  method: z.enum(METHOD_KINDS),
  mode: z.enum(['da', 'dg']).default('da'),
  steps: z.number().int().min(1).max(2000).default(60),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  activate: z.boolean().default(true),
});

export function remoteSensingRoutes(ctx: RemoteSensingContext): RouteDefinition[] {
  const served = () => {
    if (!ctx.served) throw new HttpError('unavailable', 'the remote-sensing model is still loading');
    return ctx.served;
  };
  const segment = defineRoute({
    method: 'post',
    path: '/segment',
    summary: 'Segment an aerial/satellite image (PNG, JPEG or GeoTIFF body) into land-cover classes',
    description: `Raw image body (Content-Type image/png, image/jpeg or image/tiff), at most ${SEGMENT_LIMITS.maxBytes} bytes and ${SEGMENT_LIMITS.maxPixels} pixels (413 past either, 415 for anything else). Answers the class-id label map as a PNG (pixel value = class id, same size as the input) and the share of each class; a TIFF upload also gets the labels as a one-band GeoTIFF with its georeferencing.`,
    auth: false,
    upload: { contentTypes: [...IMAGE_CONTENT_TYPES], maxBytes: SEGMENT_LIMITS.maxBytes },
    handler: async ({ upload }) => {
      const body = upload!;
      const current = served();
      const isTiff = body.contentType === 'image/tiff';
      const geo = isTiff ? await readUploadedGeoTiff(body, { maxPixels: SEGMENT_LIMITS.maxPixels }) : undefined;
      const image = geo
        ? geoRasterToImage(geo.raster, { bands: geo.raster.bands >= 3 ? [0, 1, 2] : [0, 0, 0], range: 'minmax' })
        : await decodeUploadedImage(body.bytes, body.contentType, { maxPixels: SEGMENT_LIMITS.maxPixels, channels: 3 });
      const seg = await segmentRaster(current.model, image);
      const png = await encodePng(classIdImage(seg.labels, seg.width, seg.height));
      return {
        model: current.label,
        method: current.method,
        width: seg.width,
        height: seg.height,
        tiles: seg.tiles,
        classes: [...SCENE_CLASS_NAMES],
        shares: Object.fromEntries(SCENE_CLASS_NAMES.map((n, i) => [n, seg.shares[i]])),
        labelPng: Buffer.from(png).toString('base64'),
        ...(geo ? { georeferenced: geo.georef !== undefined, labelGeoTiff: Buffer.from(writeGeoTiff({ width: seg.width, height: seg.height, bands: 1, data: seg.labels }, geo.georef)).toString('base64') } : {}),
      };
    },
  });
  const adapt = defineRoute({
    method: 'post',
    path: '/adapt',
    summary: 'Start an adaptation run (rgb-urban → rgb-rural generated tiles) in the background',
    description: 'Fine-tunes the chosen method on the frozen pretrained backbone; progress at GET /adapt/:id, loss and validation mIoU stored as training metrics, the result registered as a model version and (activate, default true) hot-swapped in.',
    auth: true,
    scope: 'remote-sensing:adapt',
    body: adaptBody,
    status: 202,
    handler: async ({ body, db, log }) => {
      try {
        return await ctx.startAdapt(db, body, (m) => log.info(m));
      } catch (e) {
        if (e instanceof Error && /already running/.test(e.message)) throw new HttpError('conflict', e.message);
        throw e;
      }
    },
  });
  const job = defineRoute({
    method: 'get',
    path: '/adapt/:id',
    summary: 'Progress and metrics of an adaptation job',
    params: z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) }),
    handler: ({ params }) => {
      const j = ctx.jobs.get(params.id);
      if (!j) throw new HttpError('not_found', `params.id: no adaptation job ${params.id}`, { path: 'params.id' });
      return j;
    },
  });
  const models = defineRoute({
    method: 'get',
    path: '/models',
    summary: 'The served model and the registered versions',
    handler: async ({ db }) => {
      const current = served();
      const versions = db ? await db.client.modelVersion.findMany({ where: { app: 'remote-sensing' }, orderBy: { id: 'desc' }, take: 50 }) : [];
      return { serving: { label: current.label, method: current.method, sampleMiou: current.sample.miou, parameters: current.model.parameterCounts() }, versions: versions.map((v) => ({ id: v.id, name: v.name, version: v.version, status: v.status, metrics: v.metrics, createdAt: v.createdAt })) };
    },
  });
  const activate = defineRoute({
    method: 'post',
    path: '/models/:id/activate',
    summary: 'Hot-swap the served model to a registered version (checked against its sha256)',
    auth: true,
    scope: 'remote-sensing:adapt',
    params: z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) }),
    handler: async ({ params, db }) => {
      if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
      const row = await db.client.modelVersion.findFirst({ where: { id: params.id, app: 'remote-sensing' } });
      if (!row) throw new HttpError('not_found', `params.id: no remote-sensing model version ${params.id}`, { path: 'params.id' });
      const s = await ctx.activate(row);
      return { serving: s.label, method: s.method, sampleMiou: s.sample.miou };
    },
  });
  return [segment, adapt, job, models, activate] as RouteDefinition[];
}

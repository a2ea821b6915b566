import { registerModelVersion } from '@moe/db';
import { defineRoute, finiteNumber, HttpError, queryInt, safeName, type AppModule } from '@moe/service';
import { z } from 'zod';

/**
 * The fuzz target: an app shaped like the real ones (named models, numeric feature vectors, nested configs,
 * stream events, authenticated mutations) whose handlers do real work against the database, so a request
 * that slipped through validation would show up as a 5xx or a 2xx in the report.
 */
const modelParams = z.object({ name: safeName.meta({ examples: ['mmoe'] }) });

const trainBody = z
  .strictObject({
    epochs: z.number().int().min(1).max(1000),
    learningRate: finiteNumber.refine((x) => x > 0 && x <= 1, 'expected a learning rate in (0, 1]'),
    experts: z.number().int().min(1).max(64),
    topK: z.number().int().min(1).max(8),
    features: z.array(z.strictObject({ name: safeName, kind: z.enum(['numeric', 'categorical']), buckets: z.number().int().min(2).max(1_000_000) })).min(1).max(256),
  })
  .meta({ examples: [{ epochs: 2, learningRate: 0.01, experts: 4, topK: 2, features: [{ name: 'age', kind: 'numeric', buckets: 10 }] }] });

const predictBody = z
  .strictObject({ instances: z.array(z.array(finiteNumber).min(1).max(64)).min(1).max(256) })
  .meta({ examples: [{ instances: [[0.1, 0.2, 0.3]] }] });

const learnBody = z
  .strictObject({ events: z.array(z.strictObject({ id: z.string().min(1).max(64), x: z.array(finiteNumber).min(1).max(64), y: z.number().int().min(0).max(99) })).min(1).max(1000) })
  .meta({ examples: [{ events: [{ id: 'e1', x: [0.5, 1.5], y: 1 }] }] });

const versionParams = z.object({ name: safeName.meta({ examples: ['mmoe'] }), version: z.coerce.number().int().min(1).max(1_000_000).meta({ examples: [1] }) });

export const fuzzTargetApp: AppModule = {
  name: 'target',
  title: 'Fuzz target',
  routes: [
    defineRoute({
      method: 'post', path: '/models/:name/train', summary: 'Register a (trivially) trained model version', scope: 'target:train', status: 201,
      params: modelParams, body: trainBody,
      handler: async ({ params, body, db }) => {
        if (!db) throw new HttpError('unavailable', 'no database');
        const v = await registerModelVersion(db, { app: 'target', name: params.name, config: body, metrics: { loss: 1 / body.epochs }, artifactPath: `models/${params.name}`, sha256: '0'.repeat(64) });
        return { name: v.name, version: v.version };
      },
    }),
    defineRoute({
      method: 'post', path: '/models/:name/predict', summary: 'Score instances (read-only)', auth: false,
      params: modelParams, body: predictBody,
      handler: ({ body }) => ({ scores: body.instances.map((x) => 1 / (1 + Math.exp(-x.reduce((a, b) => a + b, 0) / x.length))) }),
    }),
    defineRoute({
      method: 'post', path: '/streams/:name/learn', summary: 'Learn from labelled events', scope: 'target:learn',
      params: modelParams, body: learnBody,
      handler: async ({ params, body, db }) => {
        if (!db) throw new HttpError('unavailable', 'no database');
        const r = await db.client.feedback.createMany({ data: body.events.map((e) => ({ app: 'target', eventId: `${params.name}/${e.id}`, label: { y: e.y, x: e.x } })) });
        return { applied: r.count };
      },
    }),
    defineRoute({
      method: 'get', path: '/models/:name/versions', summary: 'List versions',
      params: modelParams, query: z.object({ limit: queryInt({ min: 1, max: 100, default: 20 }), offset: queryInt({ min: 0, max: 1_000_000, default: 0 }) }),
      handler: async ({ params, query, db }) => (db ? db.client.modelVersion.findMany({ where: { app: 'target', name: params.name }, take: query.limit, skip: query.offset, select: { version: true, status: true } }) : []),
    }),
    defineRoute({
      method: 'delete', path: '/models/:name/versions/:version', summary: 'Delete a version', scope: 'target:delete',
      params: versionParams,
      handler: async ({ params, db }) => {
        if (!db) throw new HttpError('unavailable', 'no database');
        const r = await db.client.modelVersion.deleteMany({ where: { app: 'target', name: params.name, version: params.version } });
        if (r.count === 0) throw new HttpError('not_found', `no version ${params.version} of model '${params.name}'`, { path: 'params.version' });
        return { deleted: r.count };
      },
    }),
  ],
};

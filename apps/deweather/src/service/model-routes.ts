import { z } from 'zod';
import { defineRoute, HttpError } from '@moe/service';
import { listModelVersions } from '@moe/db';
import { DEWEATHER_APP, type DeweatherContext } from './deweather-context.js';

const versionParam = z.object({ version: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a registry id (a positive integer)') });

export function modelRoutes(ctx: DeweatherContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/models',
      summary: 'Registered deweather model versions (newest first) and the one serving',
      handler: async ({ db }) => {
        if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
        const versions = await listModelVersions(db, DEWEATHER_APP, { take: 50 });
        return { serving: ctx.slot.current?.version ?? null, versions: versions.map((v) => ({ id: v.id, name: v.name, version: v.version, status: v.status, metrics: v.metrics, createdAt: v.createdAt })) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/models/:version/activate',
      summary: 'Hot-swap the served model to a registered version (in-flight requests finish on the old one)',
      scope: 'deweather:admin',
      params: versionParam,
      handler: async ({ params, db }) => {
        if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
        const id = Number(params.version);
        const row = await db.client.modelVersion.findUnique({ where: { id } });
        if (!row || row.app !== DEWEATHER_APP) throw new HttpError('not_found', `no deweather model version with id ${id}`, { path: 'params.version' });
        try {
          const r = await ctx.activate(row);
          return { serving: `v${row.id}`, previous: r.previous ?? null, draining: r.draining };
        } catch (e) {
          throw new HttpError('conflict', `model version ${id} cannot be served: ${(e as Error).message}`, { path: 'params.version' });
        }
      },
    }),
  ];
}

import { z } from 'zod';
import { listModelVersions, type Db } from '@moe/db';
import { defineRoute, HttpError, type RouteDefinition } from '@moe/service';
import type { CtrContext } from './ctr-context.js';
import { CTR_APP, findVersion, parseVersionRef } from './model-versions.js';

function requireDb(db: Db | undefined): Db {
  if (!db) throw new HttpError('unavailable', 'no model registry database is configured for this service');
  return db;
}

/** GET /models and POST /models/:version/activate (hot swap). */
export function modelRoutes(ctx: CtrContext): RouteDefinition[] {
  const list = defineRoute({
    method: 'get',
    path: '/models',
    summary: 'Registered CTR model versions (newest first) and the one serving /predict',
    handler: async ({ db }) => {
      const served = ctx.slot.current;
      const versions = await listModelVersions(requireDb(db), CTR_APP, { take: 100 });
      return {
        serving: served ? { version: served.version, versionId: served.versionId ?? null, kind: served.artifact.model.config.kind, calibrated: !served.calibration.isIdentity } : null,
        versions: versions.map((v) => ({ id: v.id, name: v.name, version: v.version, status: v.status, metrics: v.metrics, artifactPath: v.artifactPath, sha256: v.sha256, createdAt: v.createdAt.toISOString() })),
      };
    },
  });

  const activate = defineRoute({
    method: 'post',
    path: '/models/:version/activate',
    summary: 'Hot-swap /predict to a registered version (requests in flight finish on the previous one)',
    description: ':version is the registry id (`12`) or `<name>@<version>` (`mmoe@3`). The artefact is checked against its registered sha256 before it serves.',
    scope: 'ctr:admin',
    params: z.object({ version: z.string().max(64) }),
    handler: async ({ params, db }) => {
      const ref = parseVersionRef(params.version);
      if (!ref) throw new HttpError('invalid_request', `params.version: expected a registry id (e.g. 12) or <name>@<version> (e.g. mmoe@3), got '${params.version}'`, { path: 'params.version' });
      const row = await findVersion(requireDb(db), ref);
      if (!row) throw new HttpError('not_found', `no ctr model version '${params.version}' (GET /api/ctr/models lists them)`, { path: 'params.version' });
      let previous: string | undefined;
      let draining = 0;
      try {
        ({ previous, draining } = await ctx.activate(row));
      } catch (e) {
        throw new HttpError('conflict', `model version ${row.id} cannot be activated: ${(e as Error).message}`, { path: 'params.version', cause: e });
      }
      // `draining`: requests still running on the previous version; it is disposed when they have finished.
      return { serving: `v${row.id}`, name: row.name, version: row.version, previous: previous ?? null, draining };
    },
  });

  return [list, activate];
}

import { z } from 'zod';
import { defineRoute, HttpError, type RouteDefinition } from '@moe/service';
import { requireDb, type DriftContext } from './drift-context.js';
import { PrequentialSession } from './prequential-session.js';
import { snapshotResponse } from './response-schemas.js';
import { listSnapshots, loadSnapshot, saveSnapshot } from './snapshot-store.js';
import { streamIdParams, WRITE_SCOPE } from './stream-routes.js';

const restoreBody = z.strictObject({ snapshotId: z.number().int().positive() });

/** Persisting learners to artifacts (model versions) and bringing them back. */
export function snapshotRoutes(ctx: DriftContext): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/streams/:id/snapshot',
      summary: 'Save the learner state to an artifact file (sha256 recorded as a model version)',
      scope: WRITE_SCOPE,
      status: 201,
      params: streamIdParams,
      response: snapshotResponse,
      handler: async ({ params, db }) => {
        const live = ctx.registry.get(params.id);
        const store = requireDb(db, 'a snapshot');
        return saveSnapshot(store, ctx.snapshotDir(store), live.id, live.session);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/streams/:id/snapshots',
      summary: 'Snapshots saved for a stream id, newest first',
      params: streamIdParams,
      handler: async ({ params, db }) => ({ snapshots: await listSnapshots(requireDb(db, 'listing snapshots'), params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/streams/:id/restore',
      summary: 'Replace (or create) the learner under this id with a snapshot; it predicts exactly as the one saved',
      scope: WRITE_SCOPE,
      params: streamIdParams,
      body: restoreBody,
      handler: async ({ params, body, db }) => {
        ctx.registry.ensureRoom(params.id);
        const { info, state } = await loadSnapshot(requireDb(db, 'restoring a snapshot'), body.snapshotId);
        let session: PrequentialSession;
        try {
          session = PrequentialSession.restore(state, ctx.session);
        } catch (e) {
          throw new HttpError('conflict', `snapshot ${body.snapshotId} cannot be restored: ${(e as Error).message}`, { path: 'body.snapshotId' });
        }
        const live = ctx.registry.put(params.id, session, info.snapshotId);
        return { id: live.id, method: session.method, restoredFrom: info.snapshotId, fromStream: info.stream, instancesSeen: session.seen };
      },
    }),
  ];
}

import { z } from 'zod';
import { defineRoute, HttpError, type RouteDefinition } from '@moe/service';
import type { RawRow } from '../data/raw-row.js';
import type { CtrContext } from './ctr-context.js';
import { CTR_APP } from './model-versions.js';
import { PredictInputError, predictRows } from './predict-rows.js';

/** One raw feature value: what the feature processor accepts (numbers must be finite: JSON 1e999 is refused). */
export const rawValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))], {
  error: 'expected a string, a finite number, a boolean, null or an array of strings/numbers',
});

export const predictBodySchema = z.strictObject({
  rows: z.array(z.record(z.string(), rawValueSchema)).min(1),
});

const predictResponseSchema = z.object({
  model: z.string(),
  kind: z.string(),
  predictions: z.array(
    z.object({
      domain: z.string(),
      probabilities: z.record(z.string(), z.number()),
      conditional: z.record(z.string(), z.number()).optional(),
      route: z.number().int().optional(),
    }),
  ),
});

/** POST /predict: raw rows → calibrated probability per task, on whichever version is active when the request starts. */
export function predictRoute(ctx: CtrContext): RouteDefinition {
  return defineRoute({
    method: 'post',
    path: '/predict',
    summary: 'Click (and conversion) probabilities per task for a batch of raw feature rows',
    description: 'Every feature field and the domain must be present with the right type; errors name body.rows.<index>.<field>.',
    auth: false,
    body: predictBodySchema,
    response: predictResponseSchema,
    handler: async ({ body, metrics, db, requestId }) => {
      if (body.rows.length > ctx.maxBatch) {
        throw new HttpError('payload_too_large', `body.rows: at most ${ctx.maxBatch} rows per request, got ${body.rows.length} (split the batch)`, { path: 'body.rows' });
      }
      // The lease pins this version until the answer is computed: a concurrent activation swaps the slot
      // for later requests and disposes this model only once every lease on it is released.
      const lease = ctx.slot.lease();
      if (!lease) {
        const run = ctx.jobs?.runningRunId;
        throw new HttpError('unavailable', run !== undefined ? `no CTR model is active yet; the default model is being trained (GET /api/ctr/train/${run})` : 'no CTR model is active (train one with POST /api/ctr/train or activate one with POST /api/ctr/models/:version/activate)', { headers: { 'Retry-After': '2' } });
      }
      try {
        const rows = body.rows as RawRow[];
        const t0 = performance.now();
        const out = await predictRows(lease.served, rows);
        const ms = performance.now() - t0;
        metrics.observeInference({ app: CTR_APP, model: lease.served.version }, ms / 1000);
        ctx.utilisation.observe(lease.served.version, out, metrics);
        ctx.served.requests++;
        ctx.served.rows += rows.length;
        ctx.predictionLog.record(db, { requestId, ...(lease.served.versionId !== undefined ? { modelVersionId: lease.served.versionId } : {}), rows, predictions: out.predictions, latencyMs: ms });
        return { model: lease.served.version, kind: lease.served.artifact.model.config.kind, predictions: out.predictions };
      } catch (e) {
        if (e instanceof PredictInputError) throw new HttpError('invalid_request', e.message, { path: e.path });
        throw e;
      } finally {
        lease.release();
      }
    },
  });
}

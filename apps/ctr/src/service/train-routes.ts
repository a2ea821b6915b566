import { z } from 'zod';
import { defineRoute, HttpError, type RouteDefinition } from '@moe/service';
import { trainConfigSchema, type TrainConfig } from '../train/train-config.js';
import type { CtrContext } from './ctr-context.js';
import { resolveDataPath } from './data-path.js';
import { CTR_APP, MAX_REGISTRY_INT } from './model-versions.js';
import { TrainingBusyError } from './training-jobs.js';

const trainBodySchema = z.strictObject({
  config: trainConfigSchema,
  /** Activate the registered version when the run succeeds (default true). */
  activate: z.boolean().default(true),
});

/** Server-side checks the schema cannot express: no client-chosen output path, data files only from the data dir, bounded size. */
function checkConfig(ctx: CtrContext, config: TrainConfig): TrainConfig {
  if (config.out !== undefined) throw new HttpError('invalid_request', 'body.config.out: not accepted here (the service writes artefacts to its registry directory)', { path: 'body.config.out' });
  if ('synthetic' in config.data) {
    if (config.data.synthetic.rows > ctx.maxTrainRows) throw new HttpError('invalid_request', `body.config.data.synthetic.rows: at most ${ctx.maxTrainRows} rows, got ${config.data.synthetic.rows}`, { path: 'body.config.data.synthetic.rows' });
    return config;
  }
  const data = { ...config.data, path: resolveDataPath(ctx.dataDir, config.data.path, 'body.config.data.path') };
  if (data.commonFeaturesPath !== undefined) data.commonFeaturesPath = resolveDataPath(ctx.dataDir, data.commonFeaturesPath, 'body.config.data.commonFeaturesPath');
  return { ...config, data };
}

/** POST /train (background run → {runId}), GET /train (recent runs), GET /train/:runId (status, progress, metric series). */
export function trainRoutes(ctx: CtrContext): RouteDefinition[] {
  const jobs = () => {
    const j = ctx.jobs;
    if (!j) throw new HttpError('unavailable', 'training needs the model registry database, and none is configured');
    return j;
  };

  const start = defineRoute({
    method: 'post',
    path: '/train',
    summary: 'Start a background training run; progress and metrics are stored, the result is registered (and activated)',
    scope: 'ctr:train',
    status: 202,
    body: trainBodySchema,
    handler: async ({ body }) => {
      const config = checkConfig(ctx, body.config);
      try {
        const { runId } = await jobs().start(config, { activate: body.activate });
        return { runId, status: 'running', poll: `/api/ctr/train/${runId}` };
      } catch (e) {
        if (e instanceof TrainingBusyError) throw new HttpError('conflict', e.message);
        throw e;
      }
    },
  });

  const list = defineRoute({
    method: 'get',
    path: '/train',
    summary: 'Recent training runs, newest first',
    handler: async ({ db }) => {
      if (!db) return { runs: [] };
      const runs = await db.client.trainingRun.findMany({ where: { app: CTR_APP }, orderBy: { id: 'desc' }, take: 20 });
      return { runs: runs.map((r) => ({ runId: r.id, model: r.modelName, status: r.status, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, modelVersionId: r.modelVersionId, error: r.error })) };
    },
  });

  const status = defineRoute({
    method: 'get',
    path: '/train/:runId',
    summary: 'Status, live progress and stored metric series of a training run',
    params: z.object({ runId: z.coerce.number().int().positive().max(MAX_REGISTRY_INT) }),
    handler: async ({ params, db }) => {
      if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
      const run = await db.client.trainingRun.findUnique({ where: { id: params.runId }, include: { metrics: { orderBy: [{ name: 'asc' }, { step: 'asc' }] }, modelVersion: true } });
      if (!run || run.app !== CTR_APP) throw new HttpError('not_found', `no ctr training run ${params.runId}`, { path: 'params.runId' });
      const metrics: Record<string, [number, number][]> = {};
      for (const m of run.metrics) (metrics[m.name] ??= []).push([m.step, m.value]);
      return {
        runId: run.id,
        model: run.modelName,
        status: run.status,
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt?.toISOString() ?? null,
        error: run.error,
        progress: ctx.jobs?.progressOf(run.id) ?? null,
        modelVersion: run.modelVersion ? { id: run.modelVersion.id, name: run.modelVersion.name, version: run.modelVersion.version, status: run.modelVersion.status } : null,
        params: run.params,
        metrics,
      };
    },
  });

  return [start, list, status];
}

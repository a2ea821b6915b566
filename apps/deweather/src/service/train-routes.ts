import { z } from 'zod';
import { defineRoute, HttpError } from '@moe/service';
import { DEWEATHER_APP, TrainingBusyError, type DeweatherContext } from './deweather-context.js';
import { trainRequestSchema } from './train-request.js';

const runParam = z.object({ runId: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a run id (a positive integer)') });

export function trainRoutes(ctx: DeweatherContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/train',
      summary: 'Train a deweather model in the background on synthetic weather (one run at a time); 202 with the run id',
      scope: 'deweather:train',
      body: trainRequestSchema,
      status: 202,
      handler: async ({ body }) => {
        if (!ctx.db) throw new HttpError('unavailable', 'training needs the model registry database, and none is configured');
        try {
          const { runId } = await ctx.train(body);
          return { runId, status: 'running', poll: `/api/${DEWEATHER_APP}/train/${runId}` };
        } catch (e) {
          if (e instanceof TrainingBusyError) throw new HttpError('conflict', e.message);
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/train',
      summary: 'Deweather training runs, newest first',
      handler: async ({ db }) => {
        if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
        const runs = await db.client.trainingRun.findMany({ where: { app: DEWEATHER_APP }, orderBy: { id: 'desc' }, take: 20 });
        return { runs: runs.map((r) => ({ id: r.id, model: r.modelName, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, modelVersionId: r.modelVersionId, progress: ctx.progress.get(r.id) ?? null })) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/train/:runId',
      summary: 'One training run: status, live progress and stored metric series',
      params: runParam,
      handler: async ({ params, db }) => {
        if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
        const id = Number(params.runId);
        const run = await db.client.trainingRun.findUnique({ where: { id }, include: { metrics: { orderBy: [{ name: 'asc' }, { step: 'asc' }] } } });
        if (!run || run.app !== DEWEATHER_APP) throw new HttpError('not_found', `no deweather training run ${id}`, { path: 'params.runId' });
        const series: Record<string, [number, number][]> = {};
        for (const m of run.metrics) (series[m.name] ??= []).push([m.step, m.value]);
        return { id: run.id, model: run.modelName, status: run.status, error: run.error, params: run.params, startedAt: run.startedAt, finishedAt: run.finishedAt, modelVersionId: run.modelVersionId, progress: ctx.progress.get(id) ?? null, metrics: series };
      },
    }),
  ];
}

import { z } from 'zod';
import { defineRoute, finiteNumber, HttpError, type RouteDefinition } from '@moe/service';
import { scoreVideos } from '../eval/score-videos.js';
import type { AnomalyContext } from './anomaly-context.js';

const scoreBody = z.strictObject({
  /** One row of D numbers per snippet (I3D-style features), in time order. */
  features: z.array(z.array(finiteNumber).min(1)).min(1),
});

export const scoreResponse = z.object({
  method: z.string(),
  snippets: z.number(),
  scores: z.array(z.number()),
  /** The class whose expert fired at each snippet ('anomaly' for single-head models). */
  expert: z.array(z.string()),
  classes: z.array(z.string()),
  alertThreshold: z.number(),
  /** Snippets at or above the alert threshold. */
  aboveThreshold: z.array(z.number()),
});

/** `POST /api/anomaly/score`: per-snippet anomaly scores of one video's snippet features. */
export function scoreRoutes(ctx: AnomalyContext): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/score',
      summary: 'Score one video: per-snippet anomaly probability and the expert class that fired',
      auth: false, // read-only
      body: scoreBody,
      response: scoreResponse,
      handler: async ({ body, metrics }) => {
        const loaded = ctx.model();
        const dim = loaded.model.config.inputDim;
        if (body.features.length > ctx.maxSnippets) throw new HttpError('payload_too_large', `body.features: at most ${ctx.maxSnippets} snippets per request, got ${body.features.length}`, { path: 'body.features' });
        const bad = body.features.findIndex((row) => row.length !== dim);
        if (bad >= 0) throw new HttpError('invalid_request', `body.features.${bad}: expected ${dim} numbers (the model's feature dimension), got ${body.features[bad].length}`, { path: `body.features.${bad}` });
        const t0 = performance.now();
        const features = Float32Array.from(body.features.flat());
        const [scored] = await scoreVideos(loaded.model, [{ name: 'request', features, length: body.features.length, dim, label: 0, classIndex: 0 }]);
        metrics.observeInference({ app: 'anomaly', model: loaded.config.model.method }, (performance.now() - t0) / 1000);
        const threshold = loaded.config.alert.threshold;
        const scores = Array.from(scored.scores);
        return {
          method: loaded.config.model.method,
          snippets: scores.length,
          scores,
          expert: Array.from(scored.topExpert, (e) => (e > 0 ? (loaded.config.classes[e] ?? `class-${e}`) : 'anomaly')),
          classes: loaded.config.classes.slice(1),
          alertThreshold: threshold,
          aboveThreshold: scores.flatMap((s, i) => (s >= threshold ? [i] : [])),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/model',
      summary: 'The loaded model: method, classes, parameters, alert policy and its recorded metrics',
      handler: () => {
        const loaded = ctx.model();
        return { dir: ctx.modelDir, config: loaded.config, parameters: loaded.model.countParams(true), metadata: loaded.metadata };
      },
    }),
  ];
}

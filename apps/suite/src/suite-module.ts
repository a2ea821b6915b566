import { z } from 'zod';
import type { Db } from '@moe/db';
import { defineRoute, HttpError, safeName, type AppModule, type ServiceMetrics } from '@moe/service';
import type { AppAvailability } from './load-apps.js';
import { buildOverview } from './overview.js';

const startedAt = Date.now();

/** Cumulative request counts by status class, read from the latency histogram's `_count` series. */
async function requestCounts(metrics: ServiceMetrics): Promise<{ total: number; clientErrors: number; serverErrors: number }> {
  const out = { total: 0, clientErrors: 0, serverErrors: 0 };
  const h = metrics.registry.getSingleMetric('http_request_duration_seconds');
  if (h === undefined) return out;
  for (const v of (await h.get()).values) {
    if (!('metricName' in v) || v.metricName !== 'http_request_duration_seconds_count') continue;
    out.total += v.value;
    const s = Number(v.labels.status);
    if (s >= 400 && s < 500) out.clientErrors += v.value;
    if (s >= 500) out.serverErrors += v.value;
  }
  return out;
}

/**
 * The suite's own API (mounted at /api/suite like any app): the list of apps with their availability, one
 * app's overview for its dashboard panel, and process statistics for the platform panel.
 */
export function createSuiteModule(options: { apps: readonly AppAvailability[]; db: Db; metrics: ServiceMetrics }): AppModule {
  const { apps, db, metrics } = options;
  const byName = new Map(apps.map((a) => [a.name, a]));
  return {
    name: 'suite',
    title: 'Suite',
    routes: [
      defineRoute({
        method: 'get',
        path: '/apps',
        summary: 'Registered apps and whether each is available',
        handler: () => apps.map((a) => ({ name: a.name, title: a.title, state: a.state, ...(a.state !== 'available' ? { reason: a.reason } : {}) })),
      }),
      defineRoute({
        method: 'get',
        path: '/apps/:app/overview',
        summary: "One app's dashboard panel: model versions, latest training series, streams, drift, expert load",
        params: z.object({ app: safeName }),
        handler: async ({ params, log, signal }) => {
          const app = byName.get(params.app);
          if (app === undefined) throw new HttpError('not_found', `no registered app named '${params.app}'; registered: ${[...byName.keys()].join(', ')}`, { path: 'params.app' });
          return buildOverview(app, db, metrics, () => ({ app: app.name, db, log: log.child({ app: app.name }), metrics, signal }));
        },
      }),
      defineRoute({
        method: 'get',
        path: '/stats',
        summary: 'Process and request statistics of the suite',
        handler: async () => {
          const mem = process.memoryUsage();
          return {
            uptimeSeconds: (Date.now() - startedAt) / 1000,
            rssBytes: mem.rss,
            heapUsedBytes: mem.heapUsed,
            database: db.location,
            requests: await requestCounts(metrics),
          };
        },
      }),
    ],
  };
}

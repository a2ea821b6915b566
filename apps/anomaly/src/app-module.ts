import type { AppModule } from '@moe/service';
import { AnomalyContext, type AnomalyServiceOptions } from './service/anomaly-context.js';
import { alertRoutes } from './service/alert-routes.js';
import { clipRoutes } from './service/clip-route.js';
import { anomalyDashboard } from './service/dashboard.js';
import { scoreRoutes } from './service/score-route.js';

export type { AnomalyServiceOptions } from './service/anomaly-context.js';

/** The anomaly app for the suite (mounted at `/api/anomaly`): snippet and clip scoring, stored alerts, the camera panel. */
export function createAnomalyApp(options: AnomalyServiceOptions = {}): AppModule {
  const ctx = new AnomalyContext(options);
  return {
    name: 'anomaly',
    title: 'GS-MoE video anomaly detection',
    description: 'Weakly-supervised video anomaly detection over snippet features: per-snippet scores with the class expert that fired, and alerts from the streaming worker.',
    routes: [...scoreRoutes(ctx), ...clipRoutes(ctx), ...alertRoutes()],
    dashboard: ({ db }) => anomalyDashboard(ctx, db),
    onStart: () => ctx.load(),
    onStop: () => ctx.dispose(),
  };
}

export const anomalyApp: AppModule = createAnomalyApp();

import type { AppModule } from '@moe/service';
import { createDriftContext, type DriftServiceOptions } from './service/drift-context.js';
import { driftDashboard } from './service/dashboard.js';
import { learningRoutes } from './service/learning-routes.js';
import { snapshotRoutes } from './service/snapshot-routes.js';
import { streamRoutes } from './service/stream-routes.js';

export type { DriftServiceOptions } from './service/drift-context.js';

/**
 * The drift app for the suite (mounted at `/api/drift`): live prequential learners created from a schema
 * and a method, batch predict / test-then-train learn, status, snapshots to artifacts and restore.
 */
export function createDriftApp(options: DriftServiceOptions = {}): AppModule {
  const ctx = createDriftContext(options);
  return {
    name: 'drift',
    title: 'DriftMoE stream learning',
    description: 'Concept-drift stream learners (DriftMoE, Hoeffding tree, ARF) under test-then-train evaluation.',
    routes: [...streamRoutes(ctx), ...learningRoutes(ctx), ...snapshotRoutes(ctx)],
    dashboard: () => driftDashboard(ctx.registry),
  };
}

/** The app with default limits (16 live learners, batches of 1000). */
export const driftApp: AppModule = createDriftApp();

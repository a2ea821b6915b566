// Registers the gradients and kernels training and serving need (tfjs-core alone registers none).
import '@moe/kernels';
import { listModelVersions } from '@moe/db';
import { selectBackendUnlessChosen } from '@moe/runtime';
import type { AppContext, AppModule } from '@moe/service';
import { loadDeweatherArtifact } from '../artifact/deweather-artifact.js';
import { DEFAULT_MODEL_DIR, DEWEATHER_APP, DeweatherContext, defaultModelPresent, type DeweatherServiceOptions } from './deweather-context.js';
import { deweatherDashboard } from './dashboard.js';
import { modelRoutes } from './model-routes.js';
import { restoreRoute } from './restore-route.js';
import { trainRoutes } from './train-routes.js';

export interface DeweatherApp {
  module: AppModule;
  context: DeweatherContext;
}

/**
 * Serves the newest production version (else the newest loadable one); with an empty registry registers the
 * committed default artefact and serves it, and without one trains a small model first.
 */
async function loadActiveModel(ctx: DeweatherContext, app: AppContext): Promise<void> {
  const defaultDir = ctx.options.defaultModelDir ?? DEFAULT_MODEL_DIR;
  const db = app.db;
  if (!db) {
    app.log.warn('no database: the deweather app serves its default artefact only (no registry, no training)');
    if (defaultModelPresent(defaultDir)) {
      const a = await loadDeweatherArtifact(defaultDir);
      ctx.slot.swap(a.net, 'default');
      ctx.metadata = a.metadata;
    }
    return;
  }
  await ctx.reapOrphans();
  const versions = await listModelVersions(db, DEWEATHER_APP, { take: 50 });
  const candidates = [...versions.filter((v) => v.status === 'production'), ...versions.filter((v) => v.status === 'staging' || v.status === 'archived')];
  for (const v of candidates) {
    try {
      await ctx.activate(v);
      return;
    } catch (err) {
      app.log.error({ err, version: v.id }, `deweather model version ${v.id} cannot be served; trying the next one`);
    }
  }
  if (defaultModelPresent(defaultDir)) {
    const a = await loadDeweatherArtifact(defaultDir);
    a.net.dispose();
    const version = await ctx.register(defaultDir, String(a.metadata.variant ?? 'mofme'), a.metadata, { default: true, dir: defaultDir });
    await ctx.activate(version);
    return;
  }
  if (ctx.options.bootstrap === false) return;
  app.log.info('no deweather model is registered and no default artefact exists: training a small one');
  const { done } = await ctx.train({ variant: 'mofme', seed: 1, steps: ctx.options.bootstrapSteps ?? 60, batch: 6, learningRate: 2e-3, trainTypes: ['rain', 'haze', 'snow', 'raindrop'], experts: 8, dim: 48, activate: true });
  await done;
}

/** The deweather app: POST /restore, model versions with hot swap, background training, dashboard. */
export function createDeweatherApp(options: DeweatherServiceOptions = {}): DeweatherApp {
  const ctx = new DeweatherContext(options);
  const module: AppModule = {
    name: DEWEATHER_APP,
    title: 'Image deweathering (MoFME)',
    description: 'Rain, haze, snow and raindrop removal with feature-modulated experts and an uncertainty-aware router (MoFME); conventional MoE and dense baselines',
    routes: [restoreRoute(ctx), ...modelRoutes(ctx), ...trainRoutes(ctx)],
    async onStart(app) {
      // The suite does not pick a tensor backend; a host that already did (a test, the CLI) is respected.
      const selection = await selectBackendUnlessChosen();
      if (selection) app.log.info(selection.summary);
      ctx.start(app);
      await loadActiveModel(ctx, app);
    },
    async onStop() {
      await ctx.stop();
    },
    dashboard: () => deweatherDashboard(ctx),
  };
  return { module, context: ctx };
}

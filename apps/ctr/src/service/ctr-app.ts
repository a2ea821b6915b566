// Registers the gradients and kernels training and serving need (tfjs-core alone registers none).
import '@moe/kernels';
import { listModelVersions } from '@moe/db';
import { selectBackendUnlessChosen } from '@moe/runtime';
import type { AppContext, AppModule } from '@moe/service';
import { loadCtrArtifact } from '../artifact/model-artifact.js';
import { parseTrainConfig } from '../train/train-config.js';
import { CtrContext, DEFAULT_BOOTSTRAP_CONFIG, type CtrServiceOptions } from './ctr-context.js';
import { ctrDashboard } from './dashboard.js';
import { CTR_APP } from './model-versions.js';
import { modelRoutes } from './model-routes.js';
import { predictRoute } from './predict-route.js';
import { trainRoutes } from './train-routes.js';

export interface CtrApp {
  module: AppModule;
  context: CtrContext;
}

/**
 * Serves the newest production version (else the newest usable one); with an empty registry trains the
 * small default model first, so a fresh `npm start` answers /predict as soon as it is ready.
 */
async function loadActiveModel(ctx: CtrContext, app: AppContext): Promise<void> {
  const db = app.db;
  const fromPath = async (path: string) => {
    ctx.slot.swap(await loadCtrArtifact(path), 'file');
    app.log.info({ path }, 'serving the ctr model artefact given by path');
  };
  if (!db) {
    app.log.warn('no database: the ctr app cannot list, train or activate models');
    if (ctx.options.modelPath) await fromPath(ctx.options.modelPath);
    return;
  }
  const versions = await listModelVersions(db, CTR_APP, { take: 50 });
  const candidates = [...versions.filter((v) => v.status === 'production'), ...versions.filter((v) => v.status === 'staging' || v.status === 'archived')];
  for (const v of candidates) {
    try {
      await ctx.activate(v);
      return;
    } catch (err) {
      app.log.error({ err, version: v.id }, `ctr model version ${v.id} cannot be served; trying the next one`);
    }
  }
  if (ctx.options.modelPath) return fromPath(ctx.options.modelPath);
  if (versions.length > 0 || ctx.options.bootstrap === false || !ctx.jobs) return;
  app.log.info('no ctr model is registered: training the default model');
  const { done } = await ctx.jobs.start(parseTrainConfig(ctx.options.bootstrapConfig ?? DEFAULT_BOOTSTRAP_CONFIG), { activate: true });
  await done;
}

/** The CTR app: predict, model versions with hot swap, background training runs, dashboard data. */
export function createCtrApp(options: CtrServiceOptions = {}): CtrApp {
  const ctx = new CtrContext(options);
  const module: AppModule = {
    name: CTR_APP,
    title: 'Multi-domain CTR',
    description: 'Multi-domain / multi-task CTR prediction (Shared-Bottom, per-domain towers, MMoE, PLE, STAR, AdaptDHM, HoME) with per-domain calibration',
    routes: [predictRoute(ctx), ...modelRoutes(ctx), ...trainRoutes(ctx)],
    async onStart(app) {
      // The suite does not pick a tensor backend; a host that already did (a test, the CLI) is respected.
      const selection = await selectBackendUnlessChosen();
      if (selection) app.log.info(selection.summary);
      ctx.start(app);
      await ctx.jobs?.startMaintenance();
      await loadActiveModel(ctx, app);
    },
    async onStop() {
      await ctx.stop();
    },
    dashboard: () => ctrDashboard(ctx),
  };
  return { module, context: ctx };
}

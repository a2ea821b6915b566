// Registers the gradients and kernels training and serving need (tfjs-core alone registers none).
import '@moe/kernels';
import { getBackendSelection, selectBackend } from '@moe/runtime';
import type { AppModule, DashboardData } from '@moe/service';
import { iouBars, panelImages } from './dashboard-panel.js';
import { RemoteSensingContext, REMOTE_SENSING_APP, type RemoteSensingOptions } from './remote-sensing-context.js';
import { remoteSensingRoutes } from './remote-sensing-routes.js';

export interface RemoteSensingApp {
  module: AppModule;
  context: RemoteSensingContext;
}

/**
 * The remote-sensing app (`/api/remote-sensing`): segment uploads with the served model, adapt the frozen
 * backbone to the target domain in the background (worker-free: the run shares this process and yields
 * between steps), model versions in the registry with hot swap, and a dashboard panel.
 */
export function createRemoteSensingApp(options: RemoteSensingOptions = {}): RemoteSensingApp {
  const context = new RemoteSensingContext(options);
  let images: NonNullable<DashboardData['images']> = [];
  let imagesFor: string | undefined;
  const module: AppModule = {
    name: REMOTE_SENSING_APP,
    title: 'Remote sensing: Earth-Adapter',
    description: 'Land-cover segmentation of aerial/satellite tiles on a frozen ViT backbone with a mixture of frequency adapters (Earth-Adapter) and baselines',
    routes: remoteSensingRoutes(context),
    async onStart(app) {
      if (!getBackendSelection()) await selectBackend();
      await context.start(app.db, (m) => app.log.warn(m));
      app.log.info({ model: context.served?.label }, 'remote-sensing model ready');
    },
    onStop() {
      context.stop();
    },
    async dashboard() {
      const served = context.served;
      if (!served || !context.sample) return { status: 'loading the pretrained backbone' };
      if (imagesFor !== served.label) {
        images = await panelImages(served.model, context.sample);
        imagesFor = served.label;
      }
      const running = [...context.jobs.values()].find((j) => j.status === 'running');
      const counts = served.model.parameterCounts();
      return {
        status: running ? `adapting ${running.method} (${running.mode}) step ${running.step}/${running.steps}` : `serving ${served.label} (${served.method})`,
        stats: [
          { label: 'served model', value: served.label },
          { label: 'method', value: served.method },
          { label: 'sample mIoU (rgb-rural)', value: Number(served.sample.miou.toFixed(4)) },
          { label: 'trainable parameters', value: counts.trainable },
          { label: 'adaptation jobs', value: context.jobs.size },
        ],
        images,
        bars: [iouBars(served.sample.iou, served.label)],
      };
    },
  };
  return { module, context };
}

import type { DashboardData } from '@moe/service';
import { cropImage, encodePng, listRealImages, psnr, readImage, resizeShorterSide, synthesizeWeather, type RasterImage } from '@moe/vision';
import { proceduralScene } from '../data/procedural-scene.js';
import { restoreImage } from '../eval/restore-image.js';
import { DEWEATHER_APP, type DeweatherContext } from './deweather-context.js';

const SAMPLE_TYPES = ['rain', 'haze', 'snow'] as const;

/** A clean test-split photo for the before/after panel (a procedural scene when none is extracted). */
async function sampleClean(): Promise<{ image: RasterImage; name: string }> {
  const photo = listRealImages('photo').find((r) => r.name === 'china.jpg' && r.present);
  if (photo) {
    const img = resizeShorterSide(await readImage(photo.path, { channels: 3 }), 96, { method: 'area' });
    return { image: cropImage(img, 0, 0, 128, 96), name: 'china.jpg (test split)' };
  }
  return { image: proceduralScene(128, 96, 300_000), name: 'procedural scene (test split)' };
}

const dataUrl = async (img: RasterImage) => `data:image/png;base64,${Buffer.from(await encodePng(img)).toString('base64')}`;

/** Degraded / restored / clean triples of the serving model, computed once per served version. */
const sampleCache = new WeakMap<object, Promise<NonNullable<DashboardData['images']>>>();

async function samples(ctx: DeweatherContext): Promise<NonNullable<DashboardData['images']>> {
  const lease = ctx.slot.lease();
  if (!lease) return [];
  try {
    let cached = sampleCache.get(lease.served.model);
    if (!cached) {
      const net = lease.served.model;
      cached = (async () => {
        const { image: clean, name } = await sampleClean();
        const out: NonNullable<DashboardData['images']> = [];
        for (const type of SAMPLE_TYPES) {
          const degraded = synthesizeWeather(clean, type, 5).degraded;
          const restored = (await restoreImage(net, degraded, { tile: ctx.metadata?.crop ?? 48 })).image;
          out.push({ title: `${type}: degraded`, src: await dataUrl(degraded), caption: `${name}, ${psnr(degraded, clean).toFixed(1)} dB`, width: 192 });
          out.push({ title: `${type}: restored`, src: await dataUrl(restored), caption: `${lease.served.version}, ${psnr(restored, clean).toFixed(1)} dB`, width: 192 });
          out.push({ title: `${type}: clean`, src: await dataUrl(clean), width: 192 });
        }
        return out;
      })();
      sampleCache.set(net, cached);
    }
    return await cached;
  } finally {
    lease.release();
  }
}

export async function deweatherDashboard(ctx: DeweatherContext): Promise<DashboardData> {
  const served = ctx.slot.current;
  const meta = ctx.metadata;
  const running = ctx.runningRunId;
  const progress = running !== undefined ? ctx.progress.get(running) : undefined;
  const status = [served ? `serving ${served.version}${meta?.variant ? ` (${String(meta.variant)})` : ''}` : 'no model loaded', running !== undefined ? `training run ${running} (step ${progress?.step ?? 0}/${progress?.steps ?? '?'})` : ''].filter(Boolean).join('; ');
  const data: DashboardData = {
    status,
    stats: [
      { label: 'images restored', value: ctx.served.requests },
      { label: 'megapixels restored', value: Number((ctx.served.pixels / 1e6).toFixed(3)) },
      ...(served ? [{ label: 'parameters', value: served.model.countParams() }] : []),
    ],
  };
  if (meta) {
    const types = Object.keys(meta.metrics);
    data.bars = [
      {
        title: `PSNR per weather type (test split, RGB, ${meta.crop}² crops; trained on ${meta.trainTypes.join(', ')})`,
        labels: types,
        series: [
          { name: 'restored', values: types.map((t) => meta.metrics[t].psnr) },
          { name: 'degraded input', values: types.map((t) => meta.metrics[t].inputPsnr) },
        ],
        yLabel: 'dB',
      },
    ];
    const usageTypes = Object.keys(meta.expertUsage);
    if (usageTypes.length) {
      data.heatmaps = [{ title: 'Expert usage per weather type (share of assignments, mean over layers, test split)', rowLabels: usageTypes, columnLabels: meta.expertUsage[usageTypes[0]].map((_, e) => `e${e}`), values: usageTypes.map((t) => meta.expertUsage[t]) }];
    }
    if (ctx.liveUsage.length) {
      data.heatmaps = [...(data.heatmaps ?? []), { title: 'Expert usage of served requests (per layer)', rowLabels: ctx.liveUsage.map((_, l) => `layer ${l}`), columnLabels: ctx.liveUsage[0].map((_, e) => `e${e}`), values: ctx.liveUsage.map((l) => { const t = l.reduce((a, b) => a + b, 0); return l.map((c) => (t ? c / t : 0)); }) }];
    }
  }
  const db = ctx.db;
  if (db) {
    const runs = await db.client.trainingRun.findMany({ where: { app: DEWEATHER_APP }, orderBy: { id: 'desc' }, take: 3, include: { metrics: { where: { name: 'val_psnr' }, orderBy: { step: 'asc' } } } });
    const series = runs.filter((r) => r.metrics.length).map((r) => ({ name: `run ${r.id} (${r.modelName})`, points: r.metrics.map((m) => [m.step, m.value] as [number, number]) }));
    if (series.length) data.charts = [{ title: 'Validation PSNR during training', xLabel: 'step', yLabel: 'dB', series }];
  }
  data.images = await samples(ctx);
  return data;
}

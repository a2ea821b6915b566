import type { DashboardData, Heatmap, LineChart } from '@moe/service';
import type { CtrContext } from './ctr-context.js';
import { CTR_APP } from './model-versions.js';
import { onlineWorkerStats } from './online-worker-stats.js';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The CTR panel: what serves (per-domain test AUC of the active version), gate/expert utilisation per task
 * (live, from /predict, and at evaluation), training curves of recent runs, and the online worker's
 * join and calibration figures read from its stored checkpoint.
 */
export async function ctrDashboard(ctx: CtrContext): Promise<DashboardData> {
  const served = ctx.slot.current;
  const db = ctx.db;
  const heatmaps: Heatmap[] = [];
  const charts: LineChart[] = [];
  const stats: NonNullable<DashboardData['stats']> = [
    { label: 'predict requests', value: ctx.served.requests },
    { label: 'rows predicted', value: ctx.served.rows },
    { label: 'predictions logged', value: ctx.predictionLog.written },
  ];

  if (served) {
    const perDomain = (served.artifact.metadata.perDomainAuc ?? {}) as Record<string, unknown>;
    const domains = served.artifact.processor.domains.filter((d) => finite(perDomain[d]));
    if (domains.length) heatmaps.push({ title: `test AUC per domain — serving ${served.version}`, rowLabels: ['AUC'], columnLabels: domains, values: [domains.map((d) => perDomain[d] as number)] });
  }
  const live = [...ctx.utilisation.loads].sort(([a], [b]) => a.localeCompare(b));
  const gates = live.filter(([k]) => k.startsWith('gate/'));
  if (gates.length) {
    const width = Math.max(...gates.map(([, v]) => v.length));
    heatmaps.push({ title: 'gate weight per expert, by task (recent /predict requests)', rowLabels: gates.map(([k]) => k.slice(5)), columnLabels: Array.from({ length: width }, (_, e) => `expert ${e}`), values: gates.map(([, v]) => Array.from({ length: width }, (_, e) => v[e] ?? 0)) });
  }
  const clusters = live.find(([k]) => k === 'clusters');
  if (clusters) heatmaps.push({ title: 'share of rows per cluster tower (recent /predict requests)', rowLabels: ['rows'], columnLabels: clusters[1].map((_, g) => `cluster ${g}`), values: [clusters[1]] });

  let running = '';
  if (db) {
    const [runs, version] = await Promise.all([
      db.client.trainingRun.findMany({ where: { app: CTR_APP }, orderBy: { id: 'desc' }, take: 3, include: { metrics: { where: { name: { in: ['train_loss', 'valid_logloss'] } }, orderBy: { step: 'asc' } } } }),
      served?.versionId !== undefined ? db.client.modelVersion.findUnique({ where: { id: served.versionId } }) : Promise.resolve(null),
    ]);
    stats.push({ label: 'training runs', value: await db.client.trainingRun.count({ where: { app: CTR_APP } }) });
    for (const name of ['train_loss', 'valid_logloss']) {
      const series = runs.map((r) => ({ name: `run ${r.id} (${r.modelName})`, points: r.metrics.filter((m) => m.name === name && finite(m.value)).map((m): [number, number] => [m.step, m.value]) })).filter((s) => s.points.length);
      if (series.length) charts.push({ title: name === 'train_loss' ? 'training loss by step' : 'validation logloss by epoch', xLabel: name === 'train_loss' ? 'step' : 'epoch', yLabel: name, series });
    }
    const stored = (version?.metrics as { expertLoad?: Omit<Heatmap, 'title'> } | null)?.expertLoad;
    if (stored && Array.isArray(stored.values)) heatmaps.push({ title: `expert utilisation at evaluation — ${version!.name} v${version!.version}`, ...stored });
    const progress = ctx.jobs?.runningRunId !== undefined ? ctx.jobs.progressOf(ctx.jobs.runningRunId) : undefined;
    if (ctx.jobs?.runningRunId !== undefined) running = `; training run ${ctx.jobs.runningRunId}${progress ? ` (epoch ${progress.epoch + 1}/${progress.epochs}, step ${progress.step}/${progress.steps})` : ''}`;
    for (const w of await onlineWorkerStats(db)) {
      stats.push({ label: `online ${w.consumer}: joined impressions`, value: w.stats.labelled });
      stats.push({ label: `online ${w.consumer}: late clicks dropped`, value: w.stats.lateClicks });
      if (finite(w.stats.pcocRaw)) stats.push({ label: `online ${w.consumer}: PCOC before recalibration`, value: w.stats.pcocRaw });
      if (finite(w.stats.pcocCalibrated)) stats.push({ label: `online ${w.consumer}: PCOC after recalibration`, value: w.stats.pcocCalibrated });
    }
  }
  return {
    status: served ? `serving ${served.artifact.model.config.kind} ${served.version}${running}` : `no model active${running}`,
    stats,
    charts,
    heatmaps,
  };
}

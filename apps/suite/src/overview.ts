import type { Db } from '@moe/db';
import { dashboardDataSchema, heatmapSchema, type AppContext, type DashboardData, type Heatmap, type ServiceMetrics } from '@moe/service';
import type { AppAvailability } from './load-apps.js';

/** Everything one app panel shows, assembled from the database, the metrics registry and the app itself. */
export interface AppOverview {
  readonly name: string;
  readonly title: string;
  readonly state: AppAvailability['state'];
  readonly reason?: string;
  readonly models: {
    id: number; name: string; version: number; status: string; createdAt: string;
    metrics: Record<string, number>; sha256: string;
  }[];
  /** Metric series of the app's most recent training run: name → [step, value][]. */
  readonly training: { runId: number; modelName: string; status: string; series: Record<string, [number, number][]> } | null;
  readonly streams: { stream: string; consumer: string; offset: string; eventsApplied: number; updatedAt: string }[];
  readonly drift: { total: number; recent: { stream: string; position: number; kind: string; detector: string; createdAt: string }[] };
  readonly deadLetters: number;
  readonly heatmaps: Heatmap[];
  readonly panel: DashboardData | null;
  readonly panelError?: string;
}

/** Numeric entries of a stored metrics object (non-numbers are for the table's detail view, not charts). */
function numericMetrics(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'number' && Number.isFinite(x)) out[k] = x;
  return out;
}

/**
 * A model version's evaluation may record expert utilisation as `metrics.expertLoad` — a heatmap
 * (`{rowLabels, columnLabels, values}`, e.g. domains × experts); the dashboard draws the newest one.
 */
function storedHeatmap(model: { name: string; version: number; metrics: unknown }): Heatmap | null {
  const m = model.metrics as { expertLoad?: unknown } | null;
  const parsed = heatmapSchema.omit({ title: true }).safeParse(m?.expertLoad);
  return parsed.success ? { title: `expert load at evaluation — ${model.name} v${model.version}`, ...parsed.data } : null;
}

export async function buildOverview(app: AppAvailability, db: Db, metrics: ServiceMetrics, panelContext: () => AppContext): Promise<AppOverview> {
  const c = db.client;
  const [models, run, streams, driftTotal, driftRecent, deadLetters] = await Promise.all([
    c.modelVersion.findMany({ where: { app: app.name }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 20 }),
    c.trainingRun.findFirst({ where: { app: app.name }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], include: { metrics: { orderBy: { step: 'asc' }, take: 5000 } } }),
    c.streamCheckpoint.findMany({ where: { app: app.name }, orderBy: { updatedAt: 'desc' }, take: 20 }),
    c.driftEvent.count({ where: { app: app.name } }),
    c.driftEvent.findMany({ where: { app: app.name }, orderBy: { id: 'desc' }, take: 200 }),
    c.deadLetter.count({ where: { app: app.name } }),
  ]);
  const series: Record<string, [number, number][]> = {};
  for (const p of run?.metrics ?? []) (series[p.name] ??= []).push([p.step, p.value]);
  const heatmaps: Heatmap[] = [];
  const live = await metrics.expertLoad(app.name);
  for (const [layer, loads] of Object.entries(live)) {
    heatmaps.push({ title: `live expert load — ${layer}`, rowLabels: [layer], columnLabels: loads.map((_, i) => `e${i}`), values: [loads] });
  }
  const stored = models.map(storedHeatmap).find((h) => h !== null);
  if (stored) heatmaps.push(stored);
  let panel: DashboardData | null = null;
  let panelError: string | undefined;
  if (app.state === 'available' && app.module.dashboard) {
    try {
      // Validate what the app returned: a malformed panel is reported on the panel, not drawn half-way.
      const r = dashboardDataSchema.safeParse(await app.module.dashboard(panelContext()));
      if (r.success) panel = r.data;
      else panelError = `dashboard data from ${app.name} is malformed: ${r.error.issues[0]?.message ?? ''} at ${r.error.issues[0]?.path.join('.') ?? ''}`;
    } catch (err) {
      panelError = `dashboard data from ${app.name} failed: ${(err as Error).message}`;
    }
  }
  return {
    name: app.name,
    title: app.title,
    state: app.state,
    ...(app.state !== 'available' ? { reason: app.reason } : {}),
    models: models.map((m) => ({ id: m.id, name: m.name, version: m.version, status: m.status, createdAt: m.createdAt.toISOString(), metrics: numericMetrics(m.metrics), sha256: m.sha256 })),
    training: run ? { runId: run.id, modelName: run.modelName, status: run.status, series } : null,
    streams: streams.map((s) => ({ stream: s.stream, consumer: s.consumer, offset: s.offset, eventsApplied: s.eventsApplied, updatedAt: s.updatedAt.toISOString() })),
    drift: { total: driftTotal, recent: driftRecent.map((d) => ({ stream: d.stream, position: d.position, kind: d.kind, detector: d.detector, createdAt: d.createdAt.toISOString() })) },
    deadLetters,
    heatmaps,
    panel,
    ...(panelError !== undefined ? { panelError } : {}),
  };
}

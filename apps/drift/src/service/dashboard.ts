import type { DashboardData, DashboardStat, Heatmap, LineChart } from '@moe/service';
import type { StreamRegistry } from './stream-registry.js';

/** Rows of an expert-usage heatmap (the most recent curve points; older ones are on the accuracy chart). */
const HEATMAP_ROWS = 24;
const MAX_PANEL_STREAMS = 6;
const RECENT_EVENTS_SHOWN = 8;

/**
 * The drift panel: accuracy curves of the live learners, expert usage over time for the MoE ones, and the
 * most recent drift detections. (The suite also lists the stored DriftEvent rows from the database.)
 * Cheap: everything comes from memory.
 */
export function driftDashboard(registry: StreamRegistry): DashboardData {
  const streams = registry.list();
  const shown = streams.slice(-MAX_PANEL_STREAMS);
  const instances = streams.reduce((a, s) => a + s.session.seen, 0);
  const accuracy: LineChart = {
    title: 'Windowed accuracy (last 500 predictions)',
    xLabel: 'instances learnt',
    yLabel: 'accuracy',
    series: shown.map((s) => ({ name: `${s.id} (${s.session.method})`, points: s.session.curve.map((p) => [p.instances, p.windowAccuracy] as [number, number]) })),
  };
  const heatmaps: Heatmap[] = shown
    .filter((s) => s.session.curve.some((p) => p.expertShare.length > 0))
    .map((s) => {
      const points = s.session.curve.slice(-HEATMAP_ROWS);
      const experts = points.reduce((n, p) => Math.max(n, p.expertShare.length), 0);
      return {
        title: `Expert usage over time — ${s.id} (${s.session.method})`,
        rowLabels: points.map((p) => `≤${p.instances}`),
        columnLabels: Array.from({ length: experts }, (_, e) => `e${e}`),
        values: points.map((p) => Array.from({ length: experts }, (_, e) => p.expertShare[e] ?? 0)),
      };
    });
  const recent = streams
    .flatMap((s) => s.recentDrift.map((e) => ({ stream: s.id, ...e })))
    .sort((a, b) => b.position - a.position)
    .slice(0, RECENT_EVENTS_SHOWN);
  const stats: DashboardStat[] = [
    { label: 'live learners', value: streams.length },
    { label: 'instances learnt', value: instances },
    { label: 'drift detections (live learners)', value: streams.reduce((a, s) => a + s.session.learner.stats().driftDetections, 0) },
    ...recent.map((e) => ({ label: `drift: ${e.stream}`, value: `${e.detector} at instance ${e.position}` })),
  ];
  return {
    status: streams.length === 0 ? 'no live learners (POST /api/drift/streams to create one)' : `${streams.length} live learner(s), ${instances} instances learnt`,
    stats,
    charts: accuracy.series.length > 0 ? [accuracy] : [],
    heatmaps,
  };
}

import type { Db } from '@moe/db';
import type { DashboardData, LineChart } from '@moe/service';
import type { AnomalyContext } from './anomaly-context.js';

const CAMERAS_SHOWN = 4;
const SNIPPETS_SHOWN = 300;
const ALERTS_SHOWN = 12;

/**
 * The anomaly panel: per camera, the score curve of its most recent snippets with each alert drawn as a flat
 * span at its peak score, named after the expert class that fired. Read from the rows the streaming worker
 * commits (AnomalyScore, AnomalyAlert), so it shows what any worker process scored.
 */
export async function anomalyDashboard(ctx: AnomalyContext, db: Db | undefined): Promise<DashboardData> {
  if (db === undefined) return { status: `${ctx.status}; no database, so no stream scores to show` };
  const latest = await db.client.anomalyScore.findMany({ orderBy: { createdAt: 'desc' }, take: 200, select: { stream: true, camera: true } });
  const cameras = [...new Map(latest.map((r) => [`${r.stream}/${r.camera}`, r])).values()].slice(0, CAMERAS_SHOWN);
  const charts: LineChart[] = [];
  for (const { stream, camera } of cameras) {
    const rows = await db.client.anomalyScore.findMany({ where: { stream, camera }, orderBy: { snippet: 'desc' }, take: SNIPPETS_SHOWN, select: { snippet: true, score: true } });
    rows.reverse();
    const from = rows[0]?.snippet ?? 0;
    const alerts = await db.client.anomalyAlert.findMany({ where: { stream, camera, endSnippet: { gte: from } }, orderBy: { startSnippet: 'asc' }, take: ALERTS_SHOWN });
    charts.push({
      title: `Camera ${camera} (${stream}): anomaly score per snippet, alert spans`,
      xLabel: 'snippet',
      yLabel: 'anomaly score',
      series: [
        { name: 'score', points: rows.map((r) => [r.snippet, r.score] as [number, number]) },
        ...alerts.map((a) => ({
          name: `alert ${a.startSnippet}–${a.endSnippet}: ${a.expertClass}${a.status === 'open' ? ' (open)' : ''}`,
          points: [[a.startSnippet, a.peakScore], [a.endSnippet, a.peakScore]] as [number, number][],
        })),
      ],
    });
  }
  const [scored, open, total] = await Promise.all([db.client.anomalyScore.count(), db.client.anomalyAlert.count({ where: { status: 'open' } }), db.client.anomalyAlert.count()]);
  return {
    status: ctx.status,
    stats: [
      { label: 'snippets scored (stream)', value: scored },
      { label: 'alerts', value: total },
      { label: 'open alerts', value: open },
      { label: 'cameras shown', value: cameras.length },
    ],
    charts,
  };
}

import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** A line chart: named series of [x, y] points. */
export const lineChartSchema = z.object({
  title: z.string(),
  xLabel: z.string().optional(),
  yLabel: z.string().optional(),
  series: z.array(z.object({ name: z.string(), points: z.array(z.tuple([finite, finite])) })),
});

/** Rows × columns of values, e.g. domains × experts of routing share; rendered as a heatmap. */
export const heatmapSchema = z.object({
  title: z.string(),
  rowLabels: z.array(z.string()),
  columnLabels: z.array(z.string()),
  values: z.array(z.array(finite)),
});

/** One figure of a panel's stat row, e.g. {label: 'rows predicted', value: 1200}. */
export const statSchema = z.object({ label: z.string(), value: z.union([z.string(), finite]), unit: z.string().optional() });

/**
 * What an app's dashboard panel shows beyond what the suite reads from the database itself (model versions,
 * stream checkpoints, drift events, dead letters). Everything is optional; the schemas double as the
 * OpenAPI description of `GET /api/<app>/dashboard`.
 */
export const dashboardDataSchema = z.object({
  /** Short status line, e.g. "training mmoe v3 (epoch 2/5)". */
  status: z.string().optional(),
  stats: z.array(statSchema).optional(),
  charts: z.array(lineChartSchema).optional(),
  heatmaps: z.array(heatmapSchema).optional(),
});

export type LineChart = z.infer<typeof lineChartSchema>;
export type Heatmap = z.infer<typeof heatmapSchema>;
export type DashboardStat = z.infer<typeof statSchema>;
export type DashboardData = z.infer<typeof dashboardDataSchema>;

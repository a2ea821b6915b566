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

/**
 * A picture: a PNG/JPEG data URL (`data:image/png;base64,…`, what an app makes with encodePng) or an http(s)/
 * same-origin URL. Side-by-side comparisons are consecutive images (e.g. input, ground truth, prediction).
 */
export const dashboardImageSchema = z.object({
  title: z.string(),
  src: z.string().refine((s) => /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/.test(s) || /^(https?:\/\/|\/)[^\s"'<>]*$/.test(s), 'must be a data:image/png or data:image/jpeg base64 URL, an http(s) URL or a path starting with /'),
  caption: z.string().optional(),
  /** Width in CSS pixels to draw at (default: natural size, at most the panel cell). Pixelated when upscaled. */
  width: z.number().int().positive().optional(),
});

/** A bar chart: categories (e.g. classes) × named series (e.g. methods), e.g. per-class IoU. */
export const barChartSchema = z
  .object({
    title: z.string(),
    labels: z.array(z.string()),
    series: z.array(z.object({ name: z.string(), values: z.array(finite.nullable()) })),
    yLabel: z.string().optional(),
    /** Fixed y range, e.g. [0, 1] for IoU. */
    yMin: finite.optional(),
    yMax: finite.optional(),
  })
  .refine((b) => b.series.every((s) => s.values.length === b.labels.length), 'every series needs one value per label');

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
  images: z.array(dashboardImageSchema).optional(),
  bars: z.array(barChartSchema).optional(),
});

export type LineChart = z.infer<typeof lineChartSchema>;
export type Heatmap = z.infer<typeof heatmapSchema>;
export type DashboardImage = z.infer<typeof dashboardImageSchema>;
export type BarChart = z.infer<typeof barChartSchema>;
export type DashboardStat = z.infer<typeof statSchema>;
export type DashboardData = z.infer<typeof dashboardDataSchema>;

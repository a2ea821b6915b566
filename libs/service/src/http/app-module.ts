import type { Logger } from 'pino';
import type { Db } from '@moe/db';
import type { DashboardData } from './dashboard-data.js';
import type { RouteDefinition } from './route.js';
import type { ServiceMetrics } from './service-metrics.js';

/** What an app gets at start-up and when its dashboard data is asked for. */
export interface AppContext {
  readonly app: string;
  readonly db: Db | undefined;
  /** Logger bound to `{ app }`. */
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  /** Aborted when the service begins shutting down (for long-running work started in onStart). */
  readonly signal: AbortSignal;
}

/**
 * The contract between an application and the platform: an app declares its routes and dashboard data; the
 * service provides validation, auth, rate limits, metrics, logging, OpenAPI and shutdown. Routes mount at
 * `/api/<name>`; `GET /api/<name>/dashboard` serves `dashboard()` when given.
 *
 * @example
 * export const ctrApp: AppModule = {
 *   name: 'ctr', title: 'Multi-domain CTR',
 *   routes: [predictRoute, trainRoute],
 *   dashboard: async ({ metrics }) => ({ stats: [{ label: 'requests', value: 12 }] }),
 * };
 */
export interface AppModule {
  /** URL segment and metric label: lowercase letters, digits and dashes. */
  readonly name: string;
  /** Human title for the dashboard and docs. */
  readonly title: string;
  readonly description?: string;
  readonly routes: readonly RouteDefinition[];
  /** Data for the app's dashboard panel; called on every dashboard refresh, so keep it cheap. */
  dashboard?(ctx: AppContext): Promise<DashboardData> | DashboardData;
  /** Runs once before the service listens (load models, start background work). */
  onStart?(ctx: AppContext): Promise<void> | void;
  /** Runs once after in-flight requests drained on shutdown. */
  onStop?(ctx: AppContext): Promise<void> | void;
}

/** What an app name must look like: it becomes a URL segment (`/api/<name>`) and a metrics label. */
export const APP_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

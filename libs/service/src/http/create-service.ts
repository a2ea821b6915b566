import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { pino, type Logger } from 'pino';
import type { Db } from '@moe/db';
import { APP_NAME_PATTERN, type AppContext, type AppModule } from './app-module.js';
import { dbApiKeyVerifier, presentedApiKey, type ApiKeyVerifier } from './api-key-auth.js';
import { dashboardDataSchema } from './dashboard-data.js';
import { answerClientError } from './client-error.js';
import { docsPageHtml } from './docs-page.js';
import { InFlightTracker } from './drain.js';
import { errorHandler, notFoundHandler, sendError } from './error-handler.js';
import { HttpError } from './errors.js';
import { appRouter } from './mount-routes.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.js';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit.js';
import { requestState, requestStateMiddleware } from './request-state.js';
import { defineRoute, type RouteDefinition } from './route.js';
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.js';

export interface ServiceLimits {
  /** Largest accepted JSON body (bytes); larger → 413. Default 1 MiB. */
  readonly bodyBytes: number;
  /** Per-client token bucket (client = API key if valid, else IP); false disables. Default burst 200, 100/s. */
  readonly rateLimit: RateLimitOptions | false;
  /** How long shutdown waits for in-flight requests before cutting them off. Default 10 s. */
  readonly shutdownGraceMs: number;
  /** Node's per-request timeout (headers + body + answer). Default 120 s. */
  readonly requestTimeoutMs: number;
}

/** The limits a service gets for every field `ServiceOptions.limits` leaves out. */
export const DEFAULT_LIMITS: ServiceLimits = {
  bodyBytes: 1024 * 1024,
  rateLimit: { burst: 200, perSecond: 100 },
  shutdownGraceMs: 10_000,
  requestTimeoutMs: 120_000,
};

export interface ServiceOptions {
  readonly apps: readonly AppModule[];
  readonly db?: Db;
  readonly logger?: Logger;
  /** Default: keys hashed in `db` (none validate when there is no db). */
  readonly apiKeys?: ApiKeyVerifier;
  readonly limits?: Partial<ServiceLimits>;
  readonly metrics?: ServiceMetrics;
  readonly title?: string;
  readonly version?: string;
  /** Adds platform routes (e.g. the dashboard's static files) after the apps' and before the 404 handler. */
  readonly mount?: (app: Express) => void;
}

export interface Service {
  readonly express: Express;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  readonly openApi: OpenApiDocument;
  readonly limits: ServiceLimits;
  /** Runs every app's onStart, then listens; resolves with the bound port and URL. Default host 127.0.0.1. */
  listen(options?: { port?: number; host?: string }): Promise<{ port: number; url: string }>;
  /** Graceful shutdown: not ready, stop accepting, drain in-flight requests (up to the grace period), onStop. */
  close(): Promise<void>;
  readonly inFlight: number;
}

const noKeys: ApiKeyVerifier = { verify: async () => null };

/**
 * Builds the HTTP service for a set of apps over express 5.
 *
 * @example
 * const service = createService({ apps: [ctrApp], db: await openDb() });
 * const { url } = await service.listen({ port: 3000 });
 * process.on('SIGTERM', () => void service.close());
 */
export function createService(options: ServiceOptions): Service {
  const limits: ServiceLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const metrics = options.metrics ?? createServiceMetrics();
  const verifier = options.apiKeys ?? (options.db ? dbApiKeyVerifier(options.db) : noKeys);
  const limiter = limits.rateLimit === false ? null : new TokenBucketLimiter(limits.rateLimit);
  const tracker = new InFlightTracker();
  const shutdown = new AbortController();
  const title = options.title ?? 'MoE suite';
  const names = new Set<string>();
  for (const app of options.apps) {
    if (!APP_NAME_PATTERN.test(app.name)) throw new TypeError(`createService(): app name must match ${APP_NAME_PATTERN}; got '${app.name}'`);
    if (names.has(app.name)) throw new TypeError(`createService(): two apps are named '${app.name}'`);
    names.add(app.name);
  }
  const contexts = new Map<string, AppContext>(
    options.apps.map((app) => [app.name, { app: app.name, db: options.db, log: logger.child({ app: app.name }), metrics, signal: shutdown.signal }]),
  );
  const dashboardRoute = (app: AppModule): RouteDefinition[] =>
    app.dashboard === undefined
      ? []
      : [defineRoute({ method: 'get', path: '/dashboard', summary: `${app.title}: dashboard panel data`, response: dashboardDataSchema, handler: async () => app.dashboard?.(contexts.get(app.name) as AppContext) })];
  const openApi = buildOpenApiDocument(options.apps, { title, version: options.version ?? '0.1.0' }, options.apps.flatMap((app) => dashboardRoute(app).map((route) => ({ app, route }))));
  let started = false;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(requestStateMiddleware(logger));
  app.use(tracker.middleware());
  app.use((req, res, next) => {
    // Latency and the access log for every request, matched or not.
    res.on('finish', () => {
      const st = requestState(res);
      if (st === undefined) return;
      const seconds = Number(process.hrtime.bigint() - st.startedAt) / 1e9;
      // Label by route pattern only (app routes set st.route; platform routes have req.route), never by the
      // raw path: arbitrary paths from clients must not create unbounded label sets.
      const route = st.route ?? (req.route as { path?: unknown } | undefined)?.path;
      metrics.observeRequest({ method: req.method, route: typeof route === 'string' ? route : 'unmatched', status: res.statusCode }, seconds);
      st.log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
    });
    next();
  });
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const st = requestState(res);
    if (!started || tracker.isDraining) return sendError(res, new HttpError('unavailable', tracker.isDraining ? 'shutting down' : 'starting'), st?.requestId);
    if (options.db) {
      try {
        await options.db.ping();
      } catch {
        return sendError(res, new HttpError('unavailable', 'database not reachable'), st?.requestId);
      }
    }
    res.json({ status: 'ready', inFlight: tracker.inFlight });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => void res.json(openApi));
  app.get('/docs', (_req, res) => void res.type('html').send(docsPageHtml(title)));
  // Identify the client (a valid key, else the IP), then rate-limit before any body is read.
  app.use(async (req, res, next) => {
    const st = requestState(res);
    const secret = presentedApiKey(req.headers);
    if (st !== undefined && secret !== undefined) {
      // A database outage while checking a key is the service being unavailable (503), not a server bug (500).
      try {
        st.apiKey = (await verifier.verify(secret)) ?? undefined;
      } catch {
        throw new HttpError('unavailable', 'cannot verify the API key: database not reachable', { headers: { 'Retry-After': '5' } });
      }
    }
    if (limiter !== null) {
      const client = st?.apiKey !== undefined ? `key:${st.apiKey.id}` : `ip:${req.socket.remoteAddress ?? 'unknown'}`;
      const d = limiter.take(client);
      if (!d.allowed) {
        metrics.countRateLimited();
        throw new HttpError('rate_limited', `too many requests; retry in ${d.retryAfterSeconds} s`, { headers: { 'Retry-After': String(d.retryAfterSeconds) } });
      }
    }
    next();
  });
  app.use(express.json({ limit: limits.bodyBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  const deps = { db: options.db, metrics, shutdownSignal: shutdown.signal };
  for (const a of options.apps) app.use(`/api/${a.name}`, appRouter(a, deps, dashboardRoute(a)));
  options.mount?.(app);
  app.use(notFoundHandler());
  app.use(errorHandler(limits.bodyBytes));

  let server: Server | undefined;
  let closing: Promise<void> | undefined;
  return {
    express: app,
    metrics,
    logger,
    openApi,
    limits,
    get inFlight() {
      return tracker.inFlight;
    },
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      if (server !== undefined) throw new Error('listen(): the service is already listening');
      for (const a of options.apps) await a.onStart?.(contexts.get(a.name) as AppContext);
      const srv = app.listen(port, host);
      server = srv;
      srv.requestTimeout = limits.requestTimeoutMs;
      srv.on('clientError', answerClientError);
      await new Promise<void>((resolve, reject) => {
        srv.once('listening', resolve);
        srv.once('error', reject);
      });
      started = true;
      const bound = (srv.address() as AddressInfo).port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
      logger.info({ url, apps: options.apps.map((a) => a.name) }, 'service listening');
      return { port: bound, url };
    },
    close() {
      closing ??= (async () => {
        const srv = server;
        const closed = srv ? new Promise<void>((resolve) => srv.close(() => resolve())) : Promise.resolve();
        srv?.closeIdleConnections();
        const drained = await tracker.drain(limits.shutdownGraceMs);
        if (!drained) {
          logger.warn({ inFlight: tracker.inFlight, graceMs: limits.shutdownGraceMs }, 'shutdown grace period over; aborting in-flight requests');
          shutdown.abort(new Error('service shutting down'));
        }
        srv?.closeAllConnections();
        await closed;
        if (!shutdown.signal.aborted) shutdown.abort(new Error('service stopped'));
        for (const a of options.apps) {
          try {
            await a.onStop?.(contexts.get(a.name) as AppContext);
          } catch (err) {
            logger.error({ err, app: a.name }, 'onStop failed');
          }
        }
        logger.info('service stopped');
      })();
      return closing;
    },
  };
}

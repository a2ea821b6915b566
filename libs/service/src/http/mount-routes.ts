import express, { type Router } from 'express';
import type { Db } from '@moe/db';
import type { AppModule } from './app-module.js';
import { keyGrants } from './api-key-auth.js';
import { HttpError } from './errors.js';
import { requestState } from './request-state.js';
import { requiresAuth, type RouteContext, type RouteDefinition } from './route.js';
import type { ServiceMetrics } from './service-metrics.js';
import { checkUploadOptions, readUploadBody } from './upload-body.js';
import { validatePart } from './validation.js';

export interface MountDeps {
  readonly db: Db | undefined;
  readonly metrics: ServiceMetrics;
  /** Aborted when shutdown gives up waiting; combined with each request's own signal. */
  readonly shutdownSignal: AbortSignal;
}

function hasBody(req: express.Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Checks auth, content type and the three schemas, then runs the handler and sends its result as JSON. */
function routeHandler(app: AppModule, route: RouteDefinition, deps: MountDeps): express.RequestHandler {
  const auth = requiresAuth(route);
  const scope = route.scope;
  const label = `/api/${app.name}${route.path}`;
  if (route.upload !== undefined) {
    if (route.body !== undefined) throw new TypeError(`${route.method.toUpperCase()} ${label}: a route takes either a JSON body or an upload, not both`);
    checkUploadOptions(`${route.method.toUpperCase()} ${label}`, route.upload);
  }
  return async (req, res) => {
    const st = requestState(res);
    if (st === undefined) throw new Error('request state middleware is not installed');
    st.route = label;
    if (auth) {
      if (st.apiKey === undefined) {
        const sent = req.headers['x-api-key'] !== undefined || req.headers.authorization !== undefined;
        throw new HttpError('unauthorized', sent ? 'the API key is not recognised (unknown or revoked)' : `${req.method} ${label} needs an API key in the X-API-Key header (or Authorization: Bearer)`, {
          path: 'headers.x-api-key',
          headers: { 'WWW-Authenticate': 'Bearer' },
        });
      }
      if (!keyGrants(st.apiKey, scope)) throw new HttpError('forbidden', `the API key '${st.apiKey.name}' does not grant scope '${scope}'`, { path: 'headers.x-api-key' });
    }
    if (route.body !== undefined && hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
      throw new HttpError('unsupported_media_type', `expected a JSON body (Content-Type: application/json); got '${req.headers['content-type'] ?? 'none'}'`, { path: 'headers.content-type' });
    }
    const parts = [
      route.params ? validatePart('params', route.params, req.params) : null,
      route.query ? validatePart('query', route.query, req.query) : null,
      route.body ? validatePart('body', route.body, req.body) : null,
    ] as const;
    for (const p of parts) if (p !== null && !p.success) throw p.error;
    const signal = AbortSignal.any([st.abort.signal, deps.shutdownSignal]);
    // After auth and the query check, so an unauthorised or malformed request is refused before its body is read.
    const upload = route.upload !== undefined ? await readUploadBody(req, route.upload, signal) : undefined;
    const ctx: RouteContext<unknown, unknown, unknown> = {
      params: parts[0]?.success ? parts[0].data : undefined,
      query: parts[1]?.success ? parts[1].data : undefined,
      body: parts[2]?.success ? parts[2].data : undefined,
      requestId: st.requestId,
      log: st.log,
      db: deps.db,
      metrics: deps.metrics,
      apiKey: st.apiKey,
      upload,
      signal,
      req,
      res,
    };
    const result = await route.handler(ctx);
    if (res.headersSent) return;
    if (result === undefined) res.status(204).end();
    else res.status(route.status ?? 200).json(result);
  };
}

/** One express router per app: its routes plus the platform's extra ones for it (e.g. `GET /dashboard`). */
export function appRouter(app: AppModule, deps: MountDeps, extra: readonly RouteDefinition[] = []): Router {
  const router = express.Router({ strict: false, caseSensitive: true });
  for (const route of [...app.routes, ...extra]) router[route.method](route.path, routeHandler(app, route, deps));
  return router;
}

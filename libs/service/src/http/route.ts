import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '@moe/db';
import type { ServiceMetrics } from './service-metrics.js';
import type { UploadedBody, UploadOptions } from './upload-body.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The key that authenticated a request (absent on routes without auth). */
export interface AuthenticatedKey {
  readonly id: number | string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
}

/** What a route handler receives: validated inputs plus the service's shared facilities. */
export interface RouteContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly requestId: string;
  /** Request-scoped logger (carries `reqId`). */
  readonly log: Logger;
  readonly db: Db | undefined;
  readonly metrics: ServiceMetrics;
  readonly apiKey: AuthenticatedKey | undefined;
  /** The raw body of a route that declares `upload` (always set there; undefined on every other route). */
  readonly upload: UploadedBody | undefined;
  /** Aborted when the client disconnects or the service shuts down past its grace period. */
  readonly signal: AbortSignal;
  /** Escape hatch for non-JSON answers (files, streams); a handler that uses it returns undefined. */
  readonly req: Request;
  readonly res: Response;
}

/**
 * One endpoint of an app. Params, query and body are validated with the zod schemas before the handler runs
 * (400 naming the field otherwise); the handler's return value is sent as JSON with `status` (default 200).
 * Use `z.strictObject` for bodies so unknown fields are refused rather than silently dropped.
 */
export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Express path relative to the app's mount point (`/api/<app>`), e.g. `/models/:name`. */
  readonly path: string;
  /** One line for the OpenAPI document and the docs page. */
  readonly summary: string;
  readonly description?: string;
  /**
   * Whether an API key is required. Defaults to true for post/put/patch/delete — every mutating endpoint —
   * and false for get; set `false` explicitly for read-only POSTs such as predictions.
   */
  readonly auth?: boolean;
  /** Scope the key must grant (keys with no scopes grant all), e.g. `ctr:train`. */
  readonly scope?: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /**
   * Take a raw binary body (image, clip…) instead of JSON: accepted content types and a size limit; the
   * handler gets it as `ctx.upload`. 415 for other content types, 413 past `maxBytes`. Excludes `body`.
   */
  readonly upload?: UploadOptions;
  /** Response schema, for the OpenAPI document only (responses are not validated at run time). */
  readonly response?: z.ZodType;
  /** Success status (default 200). */
  readonly status?: number;
  /** OpenAPI tags; the app name is added automatically. */
  readonly tags?: readonly string[];
  // Method syntax on purpose: it lets routes with different schemas share one `RouteDefinition[]`.
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): unknown;
}

/**
 * Identity function that infers a route's handler types from its schemas.
 *
 * @example
 * const getModel = defineRoute({
 *   method: 'get', path: '/models/:name', summary: 'One model',
 *   params: z.object({ name: safeName }),
 *   handler: ({ params }) => ({ name: params.name }),
 * });
 */
export function defineRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return route;
}

/** Whether a route needs an API key: its explicit `auth`, else true for every method but GET. */
export function requiresAuth(route: Pick<RouteDefinition, 'method' | 'auth'>): boolean {
  return route.auth ?? route.method !== 'get';
}

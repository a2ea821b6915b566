import { z } from 'zod';
import type { AppModule } from './app-module.js';
import { requiresAuth, type RouteDefinition } from './route.js';
import type { UploadOptions } from './upload-body.js';

type JsonSchema = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document this service produces. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

function toSchema(schema: z.ZodType): JsonSchema {
  // 'any' for what JSON Schema cannot express (transforms, dates) rather than failing the whole document.
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined): unknown[] {
  if (schema === undefined) return [];
  const js = toSchema(schema);
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

const errorRef = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

function operation(app: AppModule, route: RouteDefinition): Record<string, unknown> {
  const auth = requiresAuth(route);
  const ok = String(route.status ?? 200);
  const responses: Record<string, unknown> = {
    [ok]: { description: 'success', content: { 'application/json': { schema: route.response ? toSchema(route.response) : {} } } },
    '400': { description: 'invalid params, query or body', ...errorRef },
    '429': { description: 'rate limited', ...errorRef },
    '500': { description: 'internal error (no details)', ...errorRef },
  };
  if (route.body) responses['413'] = { description: 'body too large', ...errorRef };
  if (route.upload) {
    responses['400'] = { description: 'invalid params or query, or an empty body', ...errorRef };
    responses['413'] = { description: `body larger than ${route.upload.maxBytes} bytes (or, for images, too many pixels)`, ...errorRef };
    responses['415'] = { description: `Content-Type not one of ${route.upload.contentTypes.join(', ')} (or the bytes are not such a file)`, ...errorRef };
  }
  if (auth) {
    responses['401'] = { description: 'missing or unknown API key', ...errorRef };
    responses['403'] = { description: 'API key lacks the scope', ...errorRef };
  }
  return {
    operationId: `${app.name}_${route.method}_${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [app.name, ...(route.tags ?? [])],
    parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body) } } } } : {}),
    ...(route.upload ? { requestBody: uploadRequestBody(route.upload) } : {}),
    responses,
    ...(auth ? { security: [{ apiKey: [] }, { bearer: [] }] } : {}),
  };
}

function uploadRequestBody(upload: UploadOptions): Record<string, unknown> {
  const schema = { type: 'string', format: 'binary', maxLength: upload.maxBytes };
  return { required: true, description: `raw file bytes, at most ${upload.maxBytes} bytes`, content: Object.fromEntries(upload.contentTypes.map((t) => [t, { schema }])) };
}

/** `/models/:name` → `/models/{name}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Builds the OpenAPI document of every mounted route, from the same zod schemas that validate requests. */
export function buildOpenApiDocument(apps: readonly AppModule[], info: { title: string; version: string; description?: string }, extra: readonly { app: AppModule; route: RouteDefinition }[] = []): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const all = [...apps.flatMap((app) => app.routes.map((route) => ({ app, route }))), ...extra];
  for (const { app, route } of all) {
    const p = toOpenApiPath(`/api/${app.name}${route.path}`);
    try {
      (paths[p] ??= {})[route.method] = operation(app, route);
    } catch (err) {
      // One route's schema that JSON Schema cannot express must not take the whole service down: the
      // route still works (zod validates it); only its documentation is reduced to the summary.
      (paths[p] ??= {})[route.method] = { summary: route.summary, tags: [app.name], description: `request schema not representable in JSON Schema: ${(err as Error).message}`, responses: { default: { description: 'see summary' } } };
    }
  }
  for (const [p, summary] of [['/healthz', 'liveness'], ['/readyz', 'readiness (503 while starting or draining)'], ['/metrics', 'Prometheus metrics (text format)']] as const) {
    paths[p] = { get: { summary, tags: ['platform'], responses: { '200': { description: 'ok' }, ...(p === '/readyz' ? { '503': { description: 'not ready', ...errorRef } } : {}) } } };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                path: { type: 'string' },
                issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } } },
                requestId: { type: 'string' },
              },
            },
          },
        },
      },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}

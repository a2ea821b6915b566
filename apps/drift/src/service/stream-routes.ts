import { z } from 'zod';
import { defineRoute, HttpError, safeName, validatePart, type RouteDefinition } from '@moe/service';
import type { Schema } from '@moe/stream';
import { METHODS } from '../model/methods.js';
import type { DriftContext } from './drift-context.js';
import { PrequentialSession } from './prequential-session.js';
import { jsonSchemaInput, SCHEMA_LIMITS, SchemaInputError, schemaFromArff, schemaFromJson, schemaToJson } from './schema-input.js';
import { createdStreamResponse, statusResponse } from './response-schemas.js';
import type { LiveStream } from './stream-registry.js';

export const WRITE_SCOPE = 'drift:write';

export const streamIdParams = z.strictObject({ id: safeName });

const createBody = z.strictObject({
  /** Chosen id (default: generated). */
  id: safeName.optional(),
  method: z.enum(METHODS),
  /** An ARFF header (text) or `{attributes: [{name, type, values?}], classAttribute}`. */
  schema: z.unknown(),
  /** With an ARFF header: the class attribute when it is not the last one. */
  classAttribute: z.string().min(1).max(200).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});

const arffText = z.string().min(1).max(SCHEMA_LIMITS.arffBytes, `an ARFF header of at most ${SCHEMA_LIMITS.arffBytes} characters`);
const wrappedArff = z.strictObject({ schema: arffText });
const wrappedJson = z.strictObject({ schema: jsonSchemaInput });

/** Validates `body.schema` as either form, with errors located at `body.schema…`. */
async function parseSchema(value: unknown, classAttribute: string | undefined): Promise<Schema> {
  try {
    if (typeof value === 'string') {
      const r = validatePart('body', wrappedArff, { schema: value });
      if (!r.success) throw r.error;
      return await schemaFromArff(r.data.schema, 'body.schema', classAttribute);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new HttpError('invalid_request', `body.schema: expected an ARFF header (a string) or an object {attributes, classAttribute}, got ${value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : typeof value}`, { path: 'body.schema' });
    }
    if (classAttribute !== undefined) throw new HttpError('invalid_request', `body.classAttribute: only for an ARFF header; a JSON schema names it in body.schema.classAttribute`, { path: 'body.classAttribute' });
    const r = validatePart('body', wrappedJson, { schema: value });
    if (!r.success) throw r.error;
    return schemaFromJson(r.data.schema, 'body.schema');
  } catch (e) {
    if (e instanceof SchemaInputError) throw new HttpError('invalid_request', e.message, { path: e.field });
    throw e;
  }
}

function summary(live: LiveStream) {
  const s = live.session;
  return { id: live.id, method: s.method, instancesSeen: s.seen, accuracy: s.seen > 0 ? s.correct / s.seen : 0, createdAt: live.createdAt.toISOString(), ...(live.restoredFrom !== undefined ? { restoredFrom: live.restoredFrom } : {}) };
}

/** Creating, listing, inspecting and deleting live learners. */
export function streamRoutes(ctx: DriftContext): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/streams',
      summary: 'Create a learner for a stream schema (ARFF header or JSON) and a method',
      scope: WRITE_SCOPE,
      status: 201,
      body: createBody,
      response: createdStreamResponse,
      handler: async ({ body }) => {
        const schema = await parseSchema(body.schema, body.classAttribute);
        ctx.registry.ensureRoom();
        const session = PrequentialSession.create(body.method, schema, body.seed === undefined ? {} : { seed: body.seed }, ctx.session);
        const live = ctx.registry.add(session, body.id);
        return { id: live.id, method: body.method, attributes: schema.attributes.length, classes: schema.classAttribute.values };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/streams',
      summary: 'List the live learners',
      handler: () => ({ streams: ctx.registry.list().map(summary), limit: ctx.registry.maxStreams }),
    }),
    defineRoute({
      method: 'get',
      path: '/streams/:id/status',
      summary: 'Windowed and cumulative accuracy, kappa, expert usage and drift detections of a learner',
      params: streamIdParams,
      response: statusResponse,
      handler: ({ params }) => {
        const live = ctx.registry.get(params.id);
        const s = live.session;
        const { cumulative, window } = s.metrics();
        const stats = s.learner.stats();
        const totalUsage = stats.expertUsage.reduce((a, b) => a + b, 0);
        return {
          ...summary(live),
          schema: schemaToJson(s.schema),
          // A restored session carries its evaluator, so these continue across snapshot/restore.
          evaluated: { cumulative, window },
          expertUsage: { counts: stats.expertUsage, share: stats.expertUsage.map((u) => (totalUsage > 0 ? u / totalUsage : 0)) },
          driftDetections: { count: stats.driftDetections, positions: stats.driftPositions.slice(-50), recent: live.recentDrift },
        };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/streams/:id',
      summary: 'Delete a live learner (its snapshots stay)',
      scope: WRITE_SCOPE,
      params: streamIdParams,
      handler: ({ params }) => {
        ctx.registry.delete(params.id);
        return { id: params.id, deleted: true };
      },
    }),
  ];
}

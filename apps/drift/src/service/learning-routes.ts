import { z } from 'zod';
import { defineRoute, HttpError, type RouteDefinition } from '@moe/service';
import type { Schema } from '@moe/stream';
import { checkBatchSize, type DriftContext } from './drift-context.js';
import { writeDriftEvents } from './drift-event-writer.js';
import { encodeLabel, encodeRow, InstanceFieldError } from './instance-codec.js';
import { learnResponse, predictResponse } from './response-schemas.js';
import { StreamRegistry } from './stream-registry.js';
import { streamIdParams, WRITE_SCOPE } from './stream-routes.js';

const predictBody = z.strictObject({
  /** Each instance: values in attribute order, or an object keyed by attribute name (null = missing). */
  instances: z.array(z.unknown()).min(1),
});

const learnBody = z.strictObject({
  instances: z.array(z.unknown()).min(1),
  /** Class labels, one per instance; without it each instance carries its class (key or trailing value). */
  labels: z.array(z.unknown()).min(1).optional(),
});

/** Runs `fn`, turning a field error into a 400 that names the field. */
function fieldChecked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InstanceFieldError) throw new HttpError('invalid_request', e.message, { path: e.field });
    throw e;
  }
}

function labelOf(schema: Schema, index: number): string | null {
  return schema.classAttribute.values[index] ?? null;
}

/**
 * Encodes the whole batch before anything is learnt: a request with one bad row is refused as a whole (400
 * naming row and field), so a client can fix and resend it without double-learning the good rows.
 */
function encodeLabelled(schema: Schema, body: z.infer<typeof learnBody>): { x: Float64Array; y: number }[] {
  return fieldChecked(() => {
    if (body.labels !== undefined && body.labels.length !== body.instances.length) {
      throw new InstanceFieldError('body.labels', `expected one label per instance (${body.instances.length}), got ${body.labels.length}`);
    }
    return body.instances.map((row, i) => {
      const where = `body.instances.${i}`;
      if (body.labels !== undefined) return { x: encodeRow(schema, row, where).x, y: encodeLabel(schema, body.labels[i], `body.labels.${i}`) };
      const { x, label } = encodeRow(schema, row, where, { allowClass: true });
      if (label === undefined) {
        throw new InstanceFieldError(Array.isArray(row) ? where : `${where}.${schema.classAttribute.name}`, `missing label: send body.labels, or the class attribute '${schema.classAttribute.name}' in each instance`);
      }
      return { x, y: encodeLabel(schema, label, Array.isArray(row) ? `${where}.${schema.attributes.length}` : `${where}.${schema.classAttribute.name}`) };
    });
  });
}

/** Prediction and test-then-train learning over batches. */
export function learningRoutes(ctx: DriftContext): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/streams/:id/predict',
      summary: 'Predict the class of a batch of instances (validated against the stream schema)',
      auth: false,
      params: streamIdParams,
      body: predictBody,
      response: predictResponse,
      handler: ({ params, body }) => {
        const live = ctx.registry.get(params.id);
        checkBatchSize('body.instances', body.instances.length, ctx.maxBatch);
        const schema = live.session.schema;
        const rows = fieldChecked(() => body.instances.map((row, i) => encodeRow(schema, row, `body.instances.${i}`).x));
        const classes = rows.map((x) => live.session.predict(x));
        return { predictions: classes.map((c) => labelOf(schema, c)), classIndices: classes };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/streams/:id/learn',
      summary: 'Test-then-train on a labelled batch: predictions made before learning, then running accuracy',
      scope: WRITE_SCOPE,
      params: streamIdParams,
      body: learnBody,
      response: learnResponse,
      handler: async ({ params, body, db, log }) => {
        const live = ctx.registry.get(params.id);
        checkBatchSize('body.instances', body.instances.length, ctx.maxBatch);
        const session = live.session;
        const batch = encodeLabelled(session.schema, body);
        let correct = 0;
        // Synchronous on purpose: no other request can interleave with this batch on the same learner.
        const predictions = batch.map(({ x, y }) => {
          const p = session.testThenTrain(x, y);
          if (p === y) correct++;
          return p;
        });
        const events = session.takeDriftEvents();
        StreamRegistry.remember(live, events);
        if (db !== undefined && events.length > 0) {
          try {
            await writeDriftEvents(db.client, live.id, events);
          } catch (err) {
            // The batch is learnt either way; losing the audit rows must not turn it into an error.
            log.error({ err, stream: live.id, events: events.length }, 'storing drift events failed');
          }
        }
        const { cumulative, window } = session.metrics();
        return {
          predictions: predictions.map((c) => labelOf(session.schema, c)),
          batchAccuracy: correct / batch.length,
          accuracy: session.correct / session.seen,
          windowAccuracy: window.accuracy,
          kappa: cumulative.kappa,
          instancesSeen: session.seen,
          driftEvents: events,
        };
      },
    }),
  ];
}

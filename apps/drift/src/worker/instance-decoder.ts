import { MalformedEventError } from '@moe/service';
import type { Schema } from '@moe/stream';
import { encodeLabel, encodeRow, InstanceFieldError } from '../service/instance-codec.js';

/** A labelled instance ready for test-then-train. */
export interface LabelledInstance {
  x: Float64Array;
  y: number;
  /** The event's own id (NDJSON/Redis `id`), used for idempotency instead of the delivery id. */
  id?: string;
}

function fail(e: unknown): never {
  if (e instanceof InstanceFieldError) throw new MalformedEventError(e.message, e.field);
  throw e;
}

/**
 * Turns a record's value into a labelled instance:
 * - a row of text keyed by attribute name (CSV and ARFF rows; the class column included): text is parsed
 *   as the file would be (`?` or empty = missing);
 * - a JSON event `{id?, x, y?}` (NDJSON lines, Redis entries): `x` is an array in attribute order or an
 *   object keyed by attribute name, `y` the label (or the class inside `x`).
 * Anything else throws MalformedEventError naming the field, so the worker dead-letters it and goes on.
 */
export function decodeInstance(schema: Schema, value: unknown): LabelledInstance {
  // The runtime prefixes dead-letter reasons with the record's origin (file:line); fields are named bare.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEventError(`expected an object (a row keyed by attribute, or {id?, x, y}), got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const v = value as Record<string, unknown>;
  try {
    if (Object.hasOwn(v, 'x') && !schema.attributes.some((a) => a.name === 'x')) {
      const { x, label } = encodeRow(schema, v.x, 'x', { allowClass: v.y === undefined });
      const raw = v.y !== undefined ? v.y : label;
      const y = encodeLabel(schema, raw, v.y !== undefined ? 'y' : `x.${schema.classAttribute.name}`);
      const id = typeof v.id === 'string' && v.id.length > 0 ? v.id : typeof v.id === 'number' ? String(v.id) : undefined;
      return id === undefined ? { x, y } : { x, y, id };
    }
    const { x, label } = encodeRow(schema, v, 'row', { allowClass: true, text: true });
    return { x, y: encodeLabel(schema, label, schema.classAttribute.name, { text: true }) };
  } catch (e) {
    return fail(e);
  }
}

import type { z } from 'zod';
import { HttpError, type ErrorIssue } from './errors.js';

export type RequestPart = 'params' | 'query' | 'body';

/** `body.features.3`: the request part, then zod's path inside it. */
function joinPath(part: RequestPart, path: readonly PropertyKey[]): string {
  return [part, ...path.map((p) => String(p))].join('.');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** What was received, briefly, for primitive values (objects are described by zod's own message). */
function describeReceived(v: unknown): string {
  if (typeof v === 'string') return `; got ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `; got ${String(v)}`;
  return '';
}

function toIssue(part: RequestPart, input: unknown, i: z.core.$ZodIssue): ErrorIssue {
  // Unknown fields: point at the field itself rather than at the object holding it.
  if (i.code === 'unrecognized_keys') {
    const at = joinPath(part, [...i.path, i.keys[0] ?? '']);
    return { path: at, code: i.code, message: `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')} (not allowed here)` };
  }
  return { path: joinPath(part, i.path), code: i.code, message: i.message + describeReceived(valueAt(input, i.path)) };
}

/**
 * Validates one part of a request, as a `{success, data | error}` result in zod's style: the error is a 400
 * HttpError whose message names the field, what was expected and what was received.
 */
export function validatePart<S extends z.ZodType>(
  part: RequestPart,
  schema: S,
  value: unknown,
): { success: true; data: z.output<S> } | { success: false; error: HttpError } {
  const r = schema.safeParse(value);
  if (r.success) return { success: true, data: r.data };
  const issues = r.error.issues.map((i) => toIssue(part, value, i));
  const first = issues[0] ?? { path: part, message: 'invalid input', code: 'custom' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    success: false,
    error: new HttpError('invalid_request', `${first.path}: ${first.message}${more}`, { path: first.path, issues }),
  };
}

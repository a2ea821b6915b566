import type { FuzzCase } from './fuzz-case.js';
import { invalidNumericText, invalidReplacements, TRAVERSAL_NAMES } from './invalid-values.js';
import { typesOf, validInstance, type JsonSchema } from './json-schema.js';
import type { Operation } from './operations.js';

const PLACEHOLDER = '"__moe_fuzz_placeholder__"';

/** A field inside a body: its path from the root and its schema. */
interface Leaf { readonly path: (string | number)[]; readonly schema: JsonSchema }

/** Every field reachable through the schema along the valid instance's shape. */
function leaves(schema: JsonSchema, value: unknown, path: (string | number)[] = []): Leaf[] {
  const out: Leaf[] = [{ path, schema }];
  if (typesOf(schema).includes('object') && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) out.push(...leaves(schema.properties?.[k] ?? {}, v, [...path, k]));
  } else if (Array.isArray(value) && value.length > 0) {
    const item = schema.prefixItems?.[0] ?? schema.items ?? {};
    out.push(...leaves(item, value[0], [...path, 0]));
  }
  return out;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Sets `path` in a clone of `root` to the placeholder, then splices `json` in as raw text. */
function replaceAt(root: unknown, path: (string | number)[], json: string): string {
  if (path.length === 0) return json;
  const copy = clone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1] as string | number] = PLACEHOLDER.slice(1, -1);
  return JSON.stringify(copy).replace(PLACEHOLDER, json);
}

function dotted(path: (string | number)[]): string {
  return path.length === 0 ? 'body' : `body.${path.join('.')}`;
}

/** A valid request for the operation: example/minimal values everywhere; null when none can be derived. */
export function validRequest(op: Operation): { path: string; query: string; body: unknown } | null {
  let path = op.path;
  for (const p of op.pathParams) {
    const v = validInstance(p.schema);
    if (v === undefined) return null;
    path = path.replace(`{${p.name}}`, encodeURIComponent(String(v)));
  }
  const query: string[] = [];
  for (const q of op.queryParams.filter((x) => x.required)) {
    const v = validInstance(q.schema);
    if (v === undefined) return null;
    query.push(`${encodeURIComponent(q.name)}=${encodeURIComponent(String(v))}`);
  }
  const body = op.body === undefined ? undefined : validInstance(op.body);
  if (op.body !== undefined && body === undefined) return null;
  return { path, query: query.length ? `?${query.join('&')}` : '', body };
}

const BAD_JSON = [
  '{', '{"a":}', "{'a': 1}", '[1, 2,', '{"a": 1,}', '{"a": undefined}', '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}',
  '{} trailing', '\u0000', '{"a": "\u0001"', '{"a": 01}', '{"a": .5}', '{"a": 0x10}', '{"a" 1}', '"just a string"', '42', 'true', 'null',
  '{"a": "unterminated}', '\uFEFF{"a":', '{"a": [1, 2}', '/* comment */ {}', '{"a": 1e}',
];

type Headers = Record<string, string>;

/** Body-level cases: bad JSON, huge bodies, media types, and per-field wrong types / unknown / missing fields. */
function bodyCases(body: unknown, schema: JsonSchema, base: Omit<FuzzCase, 'kind' | 'description' | 'headers'>, auth: Headers, label: string, bodyLimitBytes: number): FuzzCase[] {
  const out: FuzzCase[] = [];
  const json = { 'content-type': 'application/json', ...auth };
  const add = (kind: string, description: string, text: string, headers: Headers = json) => out.push({ ...base, kind, description: `${label}: ${description}`, headers, body: text });
  for (const b of BAD_JSON) add('bad-json', `body ${JSON.stringify(b.slice(0, 30))}`, b);
  add('bad-json', 'empty body', '');
  add('bad-json', '20,000-deep nested array', `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
  add('huge-body', `${2 * bodyLimitBytes} bytes of JSON`, JSON.stringify({ pad: 'x'.repeat(2 * bodyLimitBytes) }));
  add('huge-body', `array of ${bodyLimitBytes} numbers`, `[${'1,'.repeat(bodyLimitBytes)}1]`);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    add('media-type', `Content-Type ${type}`, JSON.stringify(body), { ...auth, 'content-type': type });
  }
  for (const leaf of leaves(schema, body)) {
    for (const r of invalidReplacements(leaf.schema)) {
      add(/NaN|Infinity|e400/.test(r.json) ? 'nan-infinity' : 'wrong-type', `${dotted(leaf.path)} = ${r.label}`, replaceAt(body, leaf.path, r.json));
    }
    const s = leaf.schema;
    if (!typesOf(s).includes('object')) {
      if (typesOf(s).includes('array') && s.maxItems !== undefined && s.maxItems < 100_000) {
        const item = valueAt(body, [...leaf.path, 0]);
        add('wrong-type', `${dotted(leaf.path)} with maxItems+1 items`, replaceAt(body, leaf.path, JSON.stringify(Array.from({ length: s.maxItems + 1 }, () => item))));
      }
      continue;
    }
    const obj = valueAt(body, leaf.path) as Record<string, unknown>;
    if (s.additionalProperties === false) {
      for (const key of ['unexpected', '__proto__', 'constructor', '']) {
        // Spliced as text: an object literal with a "__proto__" key would set the prototype, not a field.
        const text = JSON.stringify(obj).replace(/^\{/, `{${JSON.stringify(key)}: {"polluted": true}${Object.keys(obj).length ? ',' : ''}`);
        add('unknown-field', `unknown field ${JSON.stringify(key)} in ${dotted(leaf.path)}`, replaceAt(body, leaf.path, text));
      }
    }
    for (const req of s.required ?? []) {
      const { [req]: _dropped, ...rest } = obj;
      add('missing-field', `without required ${dotted([...leaf.path, req])}`, replaceAt(body, leaf.path, JSON.stringify(rest)));
    }
  }
  return out;
}

/**
 * Malformed requests for one operation, each certain to be invalid: bad JSON, wrong types, NaN/Infinity,
 * unknown and missing fields, bound violations, huge bodies, bad media types, missing/wrong keys, path
 * traversal in names, bad query values and wrong methods.
 */
export function mutationsFor(op: Operation, ctx: { apiKey: string | undefined; bodyLimitBytes: number }): FuzzCase[] {
  const valid = validRequest(op);
  const out: FuzzCase[] = [];
  const auth: Headers = op.auth && ctx.apiKey ? { 'x-api-key': ctx.apiKey } : {};
  const label = `${op.method} ${op.path}`;
  if (valid === null) return out;
  const at = { method: op.method, path: `${valid.path}${valid.query}` };
  const validBody = valid.body !== undefined ? { body: JSON.stringify(valid.body) } : {};
  const bodyHeaders: Headers = valid.body !== undefined ? { 'content-type': 'application/json' } : {};

  if (op.body !== undefined) out.push(...bodyCases(valid.body, op.body, at, auth, label, ctx.bodyLimitBytes));
  if (op.auth) {
    const keys: [string, Headers][] = [
      ['no API key', {}], ['unknown API key', { 'x-api-key': 'moe_not-a-real-key' }], ['empty Bearer', { authorization: 'Bearer ' }],
      ['API key of 10 kB', { 'x-api-key': 'k'.repeat(10_000) }], ['Basic auth instead of a key', { authorization: 'Basic dXNlcjpwYXNz' }],
    ];
    for (const [what, h] of keys) out.push({ ...at, kind: 'auth', description: `${label}: ${what}`, headers: { ...bodyHeaders, ...h }, ...validBody });
  }
  for (const p of op.pathParams) {
    const types = typesOf(p.schema);
    const values = types.includes('integer') || types.includes('number') ? invalidNumericText(p.schema) : TRAVERSAL_NAMES.filter((n) => p.schema.pattern === undefined || !new RegExp(p.schema.pattern, 'u').test(n));
    const headers = { ...auth, ...bodyHeaders };
    for (const v of values) {
      // Both percent-encoded and raw (slashes and dots as they are): the raw form probes the router itself.
      const raw = v.replace(/[\s\u0000-\u001f\u007f-\uffff#?%]/g, (c) => encodeURIComponent(c));
      for (const enc of new Set([encodeURIComponent(v), raw])) {
        out.push({ method: op.method, path: fillPath(op, { [p.name]: enc }), kind: 'path-traversal', description: `${label}: ${p.name} = ${JSON.stringify(v.slice(0, 30))} (${enc === raw ? 'raw' : 'encoded'})`, headers, ...validBody });
      }
    }
    out.push({ method: op.method, path: fillPath(op, { [p.name]: '%E0%A4%A' }), kind: 'path-traversal', description: `${label}: ${p.name} with malformed percent-encoding`, headers, ...validBody });
  }
  for (const q of op.queryParams) {
    const types = typesOf(q.schema);
    if (!(types.includes('integer') || types.includes('number'))) continue;
    const others = valid.query.replace(new RegExp(`[?&]${escapeRe(q.name)}=[^&]*`), '');
    const join = others ? '&' : '?';
    for (const v of invalidNumericText(q.schema)) {
      out.push({ method: op.method, path: `${valid.path}${others}${join}${q.name}=${encodeURIComponent(v)}`, kind: 'query', description: `${label}: ?${q.name}=${v}`, headers: { ...auth, ...bodyHeaders }, ...validBody });
    }
    out.push({ method: op.method, path: `${valid.path}${others}${join}${q.name}=1&${q.name}=2`, kind: 'query', description: `${label}: ?${q.name} given twice`, headers: { ...auth, ...bodyHeaders }, ...validBody });
  }
  for (const m of ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].filter((x) => x !== op.method).slice(0, 2)) {
    out.push({ method: m, path: `${valid.path}/__nope__`, kind: 'unknown-route', description: `${m} ${op.path}/__nope__`, headers: {} });
  }
  return out;
}

/** The operation's path with valid values for its parameters, except those overridden (already encoded). */
function fillPath(op: Operation, overrides: Record<string, string>): string {
  let path = op.path;
  for (const p of op.pathParams) path = path.replace(`{${p.name}}`, overrides[p.name] ?? encodeURIComponent(String(validInstance(p.schema) ?? 'x')));
  return path;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { type Attribute, type NominalAttribute, type Schema } from '@moe/stream';

/** A value of an instance that does not fit the stream's schema; `field` is its dotted location. */
export class InstanceFieldError extends Error {
  override readonly name = 'InstanceFieldError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface EncodeOptions {
  /**
   * Accept numbers written as text and `?`/empty text as missing, as CSV and ARFF rows carry them. JSON
   * requests are strict: a numeric attribute takes a finite number or null (missing).
   */
  text?: boolean;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (v === undefined) return 'nothing';
  return Array.isArray(v) ? `an array of ${v.length}` : typeof v;
}

function nominalChoices(a: NominalAttribute): string {
  const shown = a.values.slice(0, 20).map((v) => JSON.stringify(v)).join(', ');
  return `one of {${shown}${a.values.length > 20 ? `, … ${a.values.length - 20} more` : ''}}`;
}

/** The stored value of one field (NaN = missing), or a message saying what was expected and what came. */
export function encodeField(a: Attribute, v: unknown, options: EncodeOptions = {}): number | string {
  if (v === null) return NaN;
  let value = v;
  if (options.text && typeof v === 'string') {
    const t = v.trim();
    if (t === '?' || t === '') return NaN;
    if (a.kind === 'numeric') {
      const n = Number(t);
      return Number.isFinite(n) ? n : `expected a finite number (numeric attribute '${a.name}'), got ${describe(v)}`;
    }
    value = t;
  }
  if (a.kind === 'numeric') {
    if (typeof value !== 'number') return `expected a finite number (numeric attribute '${a.name}') or null for missing, got ${describe(value)}`;
    if (!Number.isFinite(value)) return `expected a finite number (numeric attribute '${a.name}'), got ${String(value)}`;
    return value;
  }
  // A label like "3" may arrive as the number 3 (LED's {0,1} values, Electricity's day {1..7}).
  const label = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof label !== 'string') return `expected ${nominalChoices(a)} (nominal attribute '${a.name}'), got ${describe(value)}`;
  const idx = a.values.indexOf(label);
  if (idx < 0) return `unknown value ${describe(value)} for nominal attribute '${a.name}': expected ${nominalChoices(a)}`;
  return idx;
}

/**
 * Encodes one instance given either as an array of values in attribute order or as an object keyed by
 * attribute name (the class attribute may be among the keys when `allowClass`; it is then returned too).
 * Throws an InstanceFieldError at `where.<attribute>` naming what was expected and what was got.
 */
export function encodeRow(schema: Schema, row: unknown, where: string, options: EncodeOptions & { allowClass?: boolean } = {}): { x: Float64Array; label: unknown } {
  const attrs = schema.attributes;
  const x = new Float64Array(attrs.length);
  if (Array.isArray(row)) {
    const withClass = options.allowClass === true && row.length === attrs.length + 1;
    if (row.length !== attrs.length && !withClass) {
      const names = attrs.map((a) => a.name).join(', ');
      throw new InstanceFieldError(where, `expected ${attrs.length} values (${names.length > 200 ? `${names.slice(0, 200)}…` : names}), got ${row.length}`);
    }
    for (let i = 0; i < attrs.length; i++) {
      const v = encodeField(attrs[i], row[i], options);
      if (typeof v === 'string') throw new InstanceFieldError(`${where}.${i}`, v);
      x[i] = v;
    }
    return { x, label: withClass ? row[attrs.length] : undefined };
  }
  if (typeof row !== 'object' || row === null) throw new InstanceFieldError(where, `expected an array of ${attrs.length} values or an object keyed by attribute name, got ${describe(row)}`);
  const obj = row as Record<string, unknown>;
  const known = new Set(attrs.map((a) => a.name));
  if (options.allowClass) known.add(schema.classAttribute.name);
  for (const k of Object.keys(obj)) if (!known.has(k)) throw new InstanceFieldError(`${where}.${k}`, `unknown attribute '${k}' (the schema has ${[...known].slice(0, 20).join(', ')})`);
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    // Own keys only: an attribute named like an Object.prototype member must not read the prototype.
    if (!Object.hasOwn(obj, a.name)) throw new InstanceFieldError(`${where}.${a.name}`, `missing: every attribute needs a value (null for a missing value)`);
    const v = encodeField(a, obj[a.name], options);
    if (typeof v === 'string') throw new InstanceFieldError(`${where}.${a.name}`, v);
    x[i] = v;
  }
  return { x, label: options.allowClass && Object.hasOwn(obj, schema.classAttribute.name) ? obj[schema.classAttribute.name] : undefined };
}

/** The class index of a label (a class value, or a number written like one); throws naming `where`. */
export function encodeLabel(schema: Schema, label: unknown, where: string, options: EncodeOptions = {}): number {
  const v = encodeField(schema.classAttribute, label, options);
  if (typeof v === 'string') throw new InstanceFieldError(where, v);
  if (Number.isNaN(v)) throw new InstanceFieldError(where, `a label is required to learn, got ${describe(label)}`);
  return v;
}

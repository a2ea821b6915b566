/** The subset of JSON Schema (as zod's toJSONSchema writes it) that the fuzzer reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const NAME_CANDIDATES = ['model', 'a', 'x1', 'default', 'elec', 'ctr', 'drift', 'mmoe', 'stream-1', 'A1', '1', 'abc_def', 'e1'];

export function typesOf(s: JsonSchema): string[] {
  if (s.type === undefined) return [];
  return Array.isArray(s.type) ? s.type : [s.type];
}

/**
 * A value the schema accepts: its first example if it has one, else a minimal instance. Returns undefined
 * when no instance can be derived (a pattern without an example), so the caller skips that operation.
 */
export function validInstance(s: JsonSchema): unknown {
  if (s.examples !== undefined && s.examples.length > 0) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.enum !== undefined && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt !== undefined) return alt.map(validInstance).find((v) => v !== undefined);
  const t = typesOf(s)[0];
  switch (t) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) {
        const v = validInstance(s.properties?.[k] ?? {});
        if (v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, s.minItems ?? 0);
      if (s.prefixItems) return s.prefixItems.map(validInstance);
      const v = validInstance(s.items ?? {});
      return v === undefined ? undefined : Array.from({ length: n }, () => v);
    }
    case 'integer':
      return s.minimum !== undefined && s.minimum > -1e15 ? Math.ceil(s.minimum) : 1;
    case 'number':
      return s.minimum !== undefined && s.minimum > -1e15 ? s.minimum : s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0.5;
    case 'string': {
      if (s.pattern === undefined) return 'a'.repeat(Math.max(1, s.minLength ?? 1));
      // Names are the common patterned strings: try a few plausible ones before giving up on the field.
      const re = new RegExp(s.pattern, 'u');
      return NAME_CANDIDATES.find((c) => re.test(c) && c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? Infinity));
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

import { z } from 'zod';
import { ParseError, readArff, schemaFromAttributes, validateSchema, type Attribute, type Schema } from '@moe/stream';

/** Bounds on a stream schema: a learner's memory grows with attributes × values × classes. */
export const SCHEMA_LIMITS = { attributes: 1000, nominalValues: 1000, arffBytes: 256 * 1024 } as const;

const label = z.string().min(1).max(200);

/** A schema as JSON: the input attributes and the name of the (nominal) class attribute among them. */
export const jsonSchemaInput = z.strictObject({
  relation: z.string().max(200).optional(),
  attributes: z
    .array(
      z.strictObject({
        name: label,
        type: z.enum(['numeric', 'nominal']),
        values: z.array(label).min(1).max(SCHEMA_LIMITS.nominalValues).optional(),
      }),
    )
    .min(2)
    .max(SCHEMA_LIMITS.attributes + 1),
  classAttribute: label,
});

export type JsonSchemaInput = z.infer<typeof jsonSchemaInput>;

/** Schema problems found after zod's shape check; `field` is the dotted location. */
export class SchemaInputError extends Error {
  override readonly name = 'SchemaInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Builds the learner schema from the JSON form; `where` is its location in the request (`body.schema`). */
export function schemaFromJson(input: JsonSchemaInput, where: string): Schema {
  const seen = new Set<string>();
  const attributes: Attribute[] = input.attributes.map((a, i) => {
    const at = `${where}.attributes.${i}`;
    if (seen.has(a.name)) throw new SchemaInputError(`${at}.name`, `attribute name '${a.name}' appears twice`);
    seen.add(a.name);
    if (a.type === 'numeric') {
      if (a.values !== undefined) throw new SchemaInputError(`${at}.values`, `a numeric attribute takes no values, got ${a.values.length}`);
      return { name: a.name, kind: 'numeric' };
    }
    if (a.values === undefined) throw new SchemaInputError(`${at}.values`, `a nominal attribute needs its list of values, got none`);
    if (new Set(a.values).size !== a.values.length) throw new SchemaInputError(`${at}.values`, `nominal values must be distinct`);
    return { name: a.name, kind: 'nominal', values: a.values };
  });
  const cls = attributes.find((a) => a.name === input.classAttribute);
  if (cls === undefined) throw new SchemaInputError(`${where}.classAttribute`, `expected the name of one of the attributes, got '${input.classAttribute}'`);
  if (cls.kind !== 'nominal' || cls.values.length < 2) throw new SchemaInputError(`${where}.classAttribute`, `the class attribute '${cls.name}' must be nominal with at least 2 values`);
  return checked(schemaFromAttributes(input.relation ?? 'stream', attributes, input.classAttribute), where);
}

/**
 * Builds the schema from an ARFF header (anything after `@data` is ignored); the class is the last attribute
 * unless `classAttribute` names another.
 */
export async function schemaFromArff(text: string, where: string, classAttribute?: string): Promise<Schema> {
  const at = text.search(/^\s*@data\b/im);
  const header = at >= 0 ? text.slice(0, at) : text;
  try {
    const { schema } = await readArff(`${header}\n@data\n`, classAttribute === undefined ? {} : { classAttribute });
    return checked(schema, where);
  } catch (e) {
    if (e instanceof SchemaInputError) throw e;
    if (e instanceof ParseError || e instanceof RangeError || e instanceof TypeError) throw new SchemaInputError(where, `invalid ARFF header: ${e.message}`);
    throw e;
  }
}

function checked(schema: Schema, where: string): Schema {
  if (schema.attributes.length > SCHEMA_LIMITS.attributes) throw new SchemaInputError(where, `at most ${SCHEMA_LIMITS.attributes} input attributes, got ${schema.attributes.length}`);
  for (const a of [...schema.attributes, schema.classAttribute]) {
    if (a.kind === 'nominal' && a.values.length > SCHEMA_LIMITS.nominalValues) throw new SchemaInputError(where, `attribute '${a.name}': at most ${SCHEMA_LIMITS.nominalValues} nominal values, got ${a.values.length}`);
  }
  try {
    validateSchema(schema);
  } catch (e) {
    throw new SchemaInputError(where, (e as Error).message);
  }
  return schema;
}

/** The JSON form of a schema (what `GET …/status` and snapshots carry). */
export function schemaToJson(schema: Schema): JsonSchemaInput {
  return {
    relation: schema.relation,
    attributes: [...schema.attributes, schema.classAttribute].map((a) => (a.kind === 'numeric' ? { name: a.name, type: 'numeric' as const } : { name: a.name, type: 'nominal' as const, values: [...a.values] })),
    classAttribute: schema.classAttribute.name,
  };
}

/** Attribute and instance types shared by generators, readers, learners and evaluators. */
export interface NumericAttribute {
  name: string;
  kind: 'numeric';
}

export interface NominalAttribute {
  name: string;
  kind: 'nominal';
  /** Value labels; an instance stores the index into this list. */
  values: string[];
}

export type Attribute = NumericAttribute | NominalAttribute;

/** A classification stream's header: input attributes (in order) and the nominal class attribute. */
export interface Schema {
  relation: string;
  attributes: Attribute[];
  classAttribute: NominalAttribute;
}

/** One labelled instance: `x[i]` is a number (numeric) or a value index (nominal); NaN = missing. */
export interface Instance {
  x: Float64Array;
  /** Class index into `schema.classAttribute.values`; NaN when the label is missing. */
  y: number;
}

export function numClasses(schema: Schema): number {
  return schema.classAttribute.values.length;
}

/** `count` attributes named `${prefix}${i}` (MOA names generated attributes `att1`…). */
export function numericAttributes(prefix: string, count: number, from = 1): NumericAttribute[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + from}`, kind: 'numeric' as const }));
}

export function nominalAttribute(name: string, values: string[]): NominalAttribute {
  return { name, kind: 'nominal', values };
}

/** Checks that a schema is usable by the learners; throws naming the offending field. */
export function validateSchema(schema: Schema): void {
  if (!Array.isArray(schema.attributes)) throw new TypeError(`schema.attributes: expected an array, got ${typeof schema.attributes}`);
  schema.attributes.forEach((a, i) => {
    if (typeof a.name !== 'string' || a.name === '') throw new TypeError(`schema.attributes[${i}].name: expected a non-empty string, got ${JSON.stringify(a.name)}`);
    if (a.kind === 'nominal') {
      if (!Array.isArray(a.values) || a.values.length === 0) throw new TypeError(`schema.attributes[${i}] (${a.name}).values: expected a non-empty array of labels, got ${JSON.stringify(a.values)}`);
    } else if (a.kind !== 'numeric') {
      const bad = a as { name: string; kind: unknown };
      throw new TypeError(`schema.attributes[${i}] (${bad.name}).kind: expected 'numeric' or 'nominal', got ${JSON.stringify(bad.kind)}`);
    }
  });
  const c = schema.classAttribute;
  if (!c || c.kind !== 'nominal' || !Array.isArray(c.values) || c.values.length < 2) {
    throw new TypeError(`schema.classAttribute: expected a nominal attribute with at least 2 values, got ${JSON.stringify(c)}`);
  }
}

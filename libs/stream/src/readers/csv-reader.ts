import type { Attribute, Instance, Schema } from '../schema.js';
import { encodeRow, schemaFromAttributes } from './arff-reader.js';
import { numberedLines, ParseError, splitFields } from './lines.js';

export interface CsvOptions {
  /** Field delimiter (','). */
  delimiter?: string;
  /** Class column name (default: the last column). */
  classAttribute?: string;
  /**
   * Types of the columns, by header name. Columns not listed are inferred from the first `inferRows` data
   * rows: numeric if every present value parses as a finite number, else nominal with the values seen.
   */
  attributes?: Record<string, { kind: 'numeric' } | { kind: 'nominal'; values: string[] }>;
  /** Rows buffered to infer types (1000). */
  inferRows?: number;
}

export interface CsvStream {
  schema: Schema;
  instances: AsyncGenerator<Instance>;
}

/** Streaming CSV reader: a header line of names, then one instance per line; '?' or empty = missing. */
export async function readCsv(chunks: AsyncIterable<string> | Iterable<string>, options: CsvOptions = {}): Promise<CsvStream> {
  const delimiter = options.delimiter ?? ',';
  const lines = numberedLines(chunks);
  let header: { line: number; names: string[] } | null = null;
  const buffered: { line: number; fields: ReturnType<typeof splitFields> }[] = [];
  const inferRows = options.inferRows ?? 1000;
  for (;;) {
    if (header && buffered.length >= inferRows) break;
    const next = await lines.next();
    if (next.done) break;
    const { line, text } = next.value;
    if (text.trim() === '') continue;
    const fields = splitFields(text, line, delimiter);
    if (!header) header = { line, names: fields.map((f) => f.value) };
    else buffered.push({ line, fields });
  }
  if (!header) throw new ParseError(1, 1, 'empty CSV: expected a header line of column names');
  const names = header.names;
  const attributes: Attribute[] = names.map((name, i) => {
    const declared = options.attributes?.[name];
    if (declared) return declared.kind === 'numeric' ? { name, kind: 'numeric' } : { name, kind: 'nominal', values: declared.values };
    const seen: string[] = [];
    let numeric = true;
    for (const row of buffered) {
      const v = row.fields[i]?.value;
      if (v === undefined || v === '?' || v === '') continue;
      if (numeric && !Number.isFinite(Number(v))) numeric = false;
      if (!seen.includes(v)) seen.push(v);
    }
    const isClass = options.classAttribute === undefined ? i === names.length - 1 : name === options.classAttribute;
    // A class column is always nominal (classification); sort its labels so the index order is stable.
    if (numeric && !isClass) return { name, kind: 'numeric' };
    return { name, kind: 'nominal', values: numeric ? seen.sort((a, b) => Number(a) - Number(b)) : seen };
  });
  const schema = schemaFromAttributes('csv', attributes, options.classAttribute);
  const classIndex = attributes.findIndex((a) => a.name === schema.classAttribute.name);
  async function* rows(): AsyncGenerator<Instance> {
    for (const r of buffered) yield encodeRow(r.fields, attributes, classIndex, r.line);
    for await (const { line, text } of lines) {
      if (text.trim() === '') continue;
      yield encodeRow(splitFields(text, line, delimiter), attributes, classIndex, line);
    }
  }
  return { schema, instances: rows() };
}

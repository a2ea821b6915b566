import type { Attribute, Instance, NominalAttribute, Schema } from '../schema.js';
import { encodeValue } from './encode-value.js';
import { numberedLines, ParseError, splitFields } from './lines.js';

export interface ArffOptions {
  /** Name of the class attribute (default: the last attribute). It must be nominal. */
  classAttribute?: string;
}

export interface ArffStream {
  schema: Schema;
  /** Instances in file order; a malformed line throws a ParseError naming line and column. */
  instances: AsyncGenerator<Instance>;
}

/** Parses one `@attribute` declaration (the text after the keyword). */
function parseAttribute(rest: string, line: number, column: number): Attribute {
  const m = /^\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)\s+(.*)$/.exec(rest);
  if (!m) throw new ParseError(line, column, `expected '@attribute <name> <type>', got '@attribute${rest}'`);
  const name = /^['"]/.test(m[1]) ? m[1].slice(1, -1).replace(/\\(.)/g, '$1') : m[1];
  const type = m[2].trim();
  if (type.startsWith('{')) {
    const close = type.lastIndexOf('}');
    if (close < 0) throw new ParseError(line, column, `attribute '${name}': nominal value list is missing its closing '}'`);
    const inner = type.slice(1, close);
    const values = inner.trim() === '' ? [] : splitFields(inner, line).map((f) => f.value);
    if (values.length === 0) throw new ParseError(line, column, `attribute '${name}': empty nominal value list`);
    return { name, kind: 'nominal', values };
  }
  const t = type.toLowerCase();
  if (t === 'numeric' || t === 'real' || t === 'integer') return { name, kind: 'numeric' };
  throw new ParseError(line, column, `attribute '${name}': type '${type}' is not supported (expected numeric, real, integer or {nominal values})`);
}

/**
 * Streaming ARFF reader: reads the header (→ schema) and returns the data section as an async generator.
 * Dense data only; `?` is a missing value; `%` starts a comment line.
 */
export async function readArff(chunks: AsyncIterable<string> | Iterable<string>, options: ArffOptions = {}): Promise<ArffStream> {
  const lines = numberedLines(chunks);
  let relation = '';
  const attributes: Attribute[] = [];
  let inData = false;
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    const { line, text } = next.value;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('%')) continue;
    const lower = trimmed.toLowerCase();
    const column = text.indexOf(trimmed) + 1;
    if (lower.startsWith('@relation')) relation = trimmed.slice(9).trim().replace(/^['"]|['"]$/g, '');
    else if (lower.startsWith('@attribute')) attributes.push(parseAttribute(trimmed.slice(10), line, column));
    else if (lower.startsWith('@data')) {
      inData = true;
      break;
    } else throw new ParseError(line, column, `expected @relation, @attribute or @data in the header, got '${trimmed.slice(0, 40)}'`);
  }
  if (!inData) throw new ParseError(0, 0, 'no @data section found');
  const schema = schemaFromAttributes(relation, attributes, options.classAttribute);
  const classIndex = attributes.findIndex((a) => a.name === schema.classAttribute.name);
  return { schema, instances: dataRows(lines, attributes, classIndex) };
}

export function schemaFromAttributes(relation: string, attributes: Attribute[], className?: string): Schema {
  if (attributes.length < 2) throw new ParseError(0, 0, `expected at least one input attribute and a class attribute, got ${attributes.length} attribute(s)`);
  const classIndex = className === undefined ? attributes.length - 1 : attributes.findIndex((a) => a.name === className);
  if (classIndex < 0) throw new RangeError(`classAttribute: no attribute named '${className}' (have ${attributes.map((a) => a.name).join(', ')})`);
  const cls = attributes[classIndex];
  if (cls.kind !== 'nominal') throw new RangeError(`classAttribute: '${cls.name}' must be nominal for classification, got numeric`);
  return { relation, attributes: attributes.filter((_, i) => i !== classIndex), classAttribute: cls as NominalAttribute };
}

async function* dataRows(lines: AsyncGenerator<{ line: number; text: string }>, attributes: Attribute[], classIndex: number): AsyncGenerator<Instance> {
  for await (const { line, text } of lines) {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('%')) continue;
    if (trimmed.startsWith('{')) throw new ParseError(line, text.indexOf('{') + 1, 'sparse ARFF rows are not supported');
    yield encodeRow(splitFields(text, line), attributes, classIndex, line);
  }
}

/** Converts a row's fields into an instance (class taken out), throwing a ParseError at the bad field. */
export function encodeRow(fields: { value: string; column: number }[], attributes: Attribute[], classIndex: number, line: number): Instance {
  if (fields.length !== attributes.length) {
    const col = fields.length > attributes.length ? fields[attributes.length].column : (fields[fields.length - 1]?.column ?? 1);
    throw new ParseError(line, col, `expected ${attributes.length} values, got ${fields.length}`);
  }
  const x = new Float64Array(attributes.length - 1);
  let y = NaN;
  for (let i = 0, j = 0; i < attributes.length; i++) {
    const v = encodeValue(attributes[i], fields[i].value);
    if (typeof v === 'string') throw new ParseError(line, fields[i].column, v);
    if (i === classIndex) y = v;
    else x[j++] = v;
  }
  return { x, y };
}

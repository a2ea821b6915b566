import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { LineReader, type EventSource, type SourceRecord } from '@moe/service';
import { ParseError, readArff, splitFields, type Schema } from '@moe/stream';

/** An ARFF file's header: the schema, the attribute names in file order and where the data begins. */
export interface ArffHeader {
  schema: Schema;
  /** Every attribute name in column order, the class included. */
  columns: string[];
  dataStart: { offset: number; line: number };
}

const HEADER_LIMIT_LINES = 100_000;
const ORDER_PROBE = '__moe_column_order_probe__';

/** Reads the header of an ARFF file (up to and including `@data`). */
export async function readArffHeader(path: string, classAttribute?: string): Promise<ArffHeader> {
  const reader = new LineReader(path, { offset: 0, line: 1 }, false);
  try {
    const header: string[] = [];
    for (;;) {
      const lines = await reader.read(256);
      if (lines === null || header.length > HEADER_LIMIT_LINES) throw new Error(`${path}: no @data line found in the first ${header.length} lines`);
      for (const l of lines) {
        if (/^\s*@data\b/i.test(l.text)) {
          const text = `${header.join('\n')}\n@data\n`;
          const schema = (await readArff(text, classAttribute === undefined ? {} : { classAttribute })).schema;
          // The column order, class included: parsed again with a stand-in class appended last, every real
          // attribute (whatever its type) comes out as an input attribute, in file order.
          const probe = `${header.join('\n')}\n@attribute ${ORDER_PROBE} {0,1}\n@data\n`;
          const columns = (await readArff(probe)).schema.attributes.map((a) => a.name);
          return { schema, columns, dataStart: { offset: l.end, line: l.line + 1 } };
        }
        header.push(l.text);
      }
    }
  } catch (e) {
    if (e instanceof ParseError) throw new Error(`${path}: ${e.message}`);
    throw e;
  } finally {
    await reader.close();
  }
}

/**
 * The data rows of an ARFF file as records `{attribute: text}` whose position is the byte offset after the
 * row: a restart resumes exactly after the last committed row. Comment and blank lines are skipped; a row
 * with the wrong number of values or broken quoting becomes a dead letter naming line and column.
 */
export class ArffFileSource implements EventSource {
  readonly name: string;
  readonly consumer: string;
  private reader: LineReader | undefined;
  private readonly file: string;

  constructor(
    private readonly path: string,
    private readonly header: ArffHeader,
    options: { name?: string; consumer?: string } = {},
  ) {
    this.file = basename(path);
    this.name = options.name ?? `file:${this.file}`;
    this.consumer = options.consumer ?? 'default';
  }

  async open(resumeFrom: string | undefined): Promise<void> {
    const from = resumeFrom === undefined ? this.header.dataStart : parsePosition(resumeFrom, this.path);
    const { size } = await stat(this.path);
    if (from.offset > size) throw new Error(`${this.path}: checkpoint is at byte ${from.offset} but the file has ${size} bytes (truncated or replaced?)`);
    this.reader = new LineReader(this.path, from, false);
  }

  async read(max: number): Promise<SourceRecord[] | null> {
    if (this.reader === undefined) throw new Error(`source ${this.name} read before open`);
    const records: SourceRecord[] = [];
    while (records.length < max) {
      const lines = await this.reader.read(max - records.length);
      if (lines === null) return records.length > 0 ? records : null;
      for (const l of lines) {
        const trimmed = l.text.trim();
        if (trimmed === '' || trimmed.startsWith('%')) continue;
        const base = { deliveryId: `${this.name}@${l.start}`, origin: `${this.file}:${l.line}`, position: JSON.stringify({ offset: l.end, line: l.line + 1 }) };
        records.push({ ...base, ...this.parse(l.text, l.line) });
      }
    }
    return records;
  }

  /** Offsets are acknowledged by the checkpoint itself. */
  async ack(): Promise<void> {}

  async close(): Promise<void> {
    await this.reader?.close();
  }

  private parse(text: string, line: number): { value: Record<string, string> } | { value: string; error: string } {
    const columns = this.header.columns;
    if (text.trim().startsWith('{')) return { value: text, error: 'sparse ARFF rows are not supported' };
    let fields: { value: string; column: number }[];
    try {
      fields = splitFields(text, line);
    } catch (e) {
      return { value: text, error: (e as Error).message };
    }
    if (fields.length !== columns.length) {
      return { value: text, error: `expected ${columns.length} values (${columns.join(', ')}), got ${fields.length}` };
    }
    const row: Record<string, string> = {};
    columns.forEach((c, i) => (row[c] = fields[i].value));
    return { value: row };
  }
}

function parsePosition(saved: string, path: string): { offset: number; line: number } {
  let p: { offset?: unknown; line?: unknown } | undefined;
  try {
    p = JSON.parse(saved) as { offset?: unknown; line?: unknown };
  } catch {
    p = undefined;
  }
  if (!p || !Number.isInteger(p.offset) || !Number.isInteger(p.line) || (p.offset as number) < 0 || (p.line as number) < 1) {
    throw new Error(`checkpoint position for ${path}: expected {"offset":<bytes>,"line":<n>}, got ${JSON.stringify(saved)}`);
  }
  return { offset: p.offset as number, line: p.line as number };
}

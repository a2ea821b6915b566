import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RawRow } from '../raw-row.js';

export interface DelimitedOptions {
  delimiter: string;
  /** Column names, or 'first-line' to read them from the file's header. */
  columns: readonly string[] | 'first-line';
  /** Columns parsed as numbers (empty → missing). Others stay strings (empty → missing). */
  isNumeric?: (column: string) => boolean;
  /** Adds or rewrites fields of each parsed row (derived features, the domain field). */
  transform?: (row: RawRow) => RawRow;
  /** Stop after this many data rows. */
  limit?: number;
}

/** Lines of a text file, streamed (files larger than memory are fine). */
export async function* readLines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
  }
}

/**
 * Streams a delimited text file as raw rows. A line with the wrong number of fields fails with its line
 * number, the expected count and the count found.
 */
export async function* readDelimited(path: string, options: DelimitedOptions): AsyncGenerator<RawRow> {
  let columns = options.columns === 'first-line' ? undefined : options.columns;
  let lineNo = 0;
  let emitted = 0;
  for await (const line of readLines(path)) {
    lineNo++;
    if (line.trim() === '') continue;
    const fields = line.split(options.delimiter);
    if (!columns) {
      columns = fields.map((f) => f.trim());
      continue;
    }
    if (fields.length !== columns.length) throw new Error(`${path}:${lineNo}: expected ${columns.length} fields separated by ${JSON.stringify(options.delimiter)}, got ${fields.length}`);
    let row: RawRow = {};
    columns.forEach((c, i) => {
      const v = fields[i];
      if (v === '') row[c] = undefined;
      else if (options.isNumeric?.(c)) {
        const x = Number(v);
        if (!Number.isFinite(x)) throw new Error(`${path}:${lineNo}: column '${c}' expected a number, got ${JSON.stringify(v)}`);
        row[c] = x;
      } else row[c] = v;
    });
    if (options.transform) row = options.transform(row);
    yield row;
    if (options.limit !== undefined && ++emitted >= options.limit) return;
  }
}

/** Collects an async row stream into an array (small files, tests, CLI samples). */
export async function collectRows(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** The fields of one CSV line (RFC 4180 quoting: `"a,b"`, `""` for a quote), or why it is malformed. */
export function splitCsvLine(text: string, delimiter: string): { fields: string[] } | { error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    const column = fields.length + 1;
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return { error: `column ${column}: unterminated quoted field` };
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== delimiter) {
        return { error: `column ${column}: expected ${JSON.stringify(delimiter)} after a quoted field, got ${JSON.stringify(text[i])}` };
      }
    } else {
      const end = text.indexOf(delimiter, i);
      field = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    }
    fields.push(field);
    if (i >= text.length) return { fields };
    i += delimiter.length;
  }
}

export interface CsvLayout {
  /** The first line names the columns. Default true. */
  header?: boolean;
  /** Column names when there is no header line (required then). */
  columns?: readonly string[];
  /** Field separator. Default `,`. */
  delimiter?: string;
}

/** Turns CSV lines into `{column: text}` rows once the columns are known (from options or a header line). */
export class CsvRowParser {
  readonly delimiter: string;
  readonly hasHeader: boolean;
  private columns: readonly string[] | undefined;

  constructor(layout: CsvLayout, what: string) {
    this.delimiter = layout.delimiter ?? ',';
    this.hasHeader = layout.header ?? true;
    if (this.delimiter.length === 0 || /["\r\n]/.test(this.delimiter)) {
      throw new Error(`${what} delimiter: expected a non-empty string without quotes or newlines, got ${JSON.stringify(this.delimiter)}`);
    }
    if (!this.hasHeader) {
      if (!layout.columns?.length) throw new Error(`${what} columns: expected column names when header is false, got none`);
      this.columns = checkColumns(layout.columns, `${what} columns`);
    }
  }

  get ready(): boolean {
    return this.columns !== undefined;
  }

  /** Reads the header line; `where` names it in errors (`events.csv:1`). */
  readHeader(text: string, where: string): void {
    const split = splitCsvLine(text.replace(/^\uFEFF/, ''), this.delimiter);
    if ('error' in split) throw new Error(`${where} header: ${split.error}`);
    this.columns = checkColumns(split.fields.map((f) => f.trim()), `${where} header`);
  }

  parse(text: string): { value: Record<string, string> } | { value: string; error: string } {
    const columns = this.columns;
    if (!columns) throw new Error('CsvRowParser.parse before the header was read');
    const split = splitCsvLine(text, this.delimiter);
    if ('error' in split) return { value: text, error: split.error };
    if (split.fields.length !== columns.length) {
      const column = Math.min(split.fields.length, columns.length) + 1;
      return { value: text, error: `column ${column}: expected ${columns.length} fields (${columns.join(', ')}), got ${split.fields.length}` };
    }
    const row: Record<string, string> = {};
    columns.forEach((c, i) => (row[c] = split.fields[i]!));
    return { value: row };
  }
}

function checkColumns(columns: readonly string[], where: string): readonly string[] {
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === '') throw new Error(`${where}: column ${i + 1} has an empty name`);
    if (seen.has(c)) throw new Error(`${where}: column name ${JSON.stringify(c)} appears twice`);
    seen.add(c);
  });
  return columns;
}

import { FileSource, type FileSourceOptions } from './file-source-base.js';
import { splitCsvLine } from './csv-row.js';
import { LineReader, type FileLine, type FilePosition } from './line-reader.js';

export interface CsvFileSourceOptions extends FileSourceOptions {
  /** The first line names the columns. Default true. */
  header?: boolean;
  /** Column names when the file has no header line (required then). */
  columns?: readonly string[];
  /** Field separator. Default `,`. */
  delimiter?: string;
}

/**
 * CSV file whose rows become objects `{column: text}`; resumable at a byte offset (the header is re-read on
 * resume). A row with the wrong number of fields or broken quoting is dead-lettered naming line and column.
 * Quoted fields may not span lines.
 */
export class CsvFileSource extends FileSource {
  private columns: readonly string[] = [];
  private readonly delimiter: string;

  constructor(private readonly csv: CsvFileSourceOptions) {
    super(csv);
    this.delimiter = csv.delimiter ?? ',';
    if (this.delimiter.length === 0 || /["\r\n]/.test(this.delimiter)) {
      throw new Error(`CsvFileSource delimiter: expected a non-empty string without quotes or newlines, got ${JSON.stringify(this.delimiter)}`);
    }
    if ((csv.header ?? true) === false && !csv.columns?.length) {
      throw new Error('CsvFileSource columns: expected column names when header is false, got none');
    }
  }

  protected async prepare(from: FilePosition): Promise<FilePosition> {
    if (this.csv.header === false) {
      this.columns = checkColumns(this.csv.columns!, 'columns option');
      return from;
    }
    const reader = new LineReader(this.options.path, { offset: 0, line: 1 }, false);
    try {
      const first = await reader.read(1);
      if (!first?.length) throw new Error(`${this.options.path}: expected a CSV header line, got an empty file`);
      const split = splitCsvLine(first[0]!.text.replace(/^\uFEFF/, ''), this.delimiter);
      if ('error' in split) throw new Error(`${this.file}:1 header: ${split.error}`);
      this.columns = checkColumns(split.fields.map((f) => f.trim()), `${this.file}:1 header`);
      return from.offset === 0 ? { offset: first[0]!.end, line: 2 } : from;
    } finally {
      await reader.close();
    }
  }

  protected parse(line: FileLine): { value: unknown } | { value: string; error: string } {
    const split = splitCsvLine(line.text, this.delimiter);
    if ('error' in split) return { value: line.text, error: split.error };
    if (split.fields.length !== this.columns.length) {
      const where = split.fields.length > this.columns.length ? `column ${this.columns.length + 1}: ` : `column ${split.fields.length + 1}: `;
      return {
        value: line.text,
        error: `${where}expected ${this.columns.length} fields (${this.columns.join(', ')}), got ${split.fields.length}`,
      };
    }
    const row: Record<string, string> = {};
    this.columns.forEach((c, i) => (row[c] = split.fields[i]!));
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

import { FileSource, type FileSourceOptions } from './file-source-base.js';
import { CsvRowParser, type CsvLayout } from './csv-row.js';
import { LineReader, type FileLine, type FilePosition } from './line-reader.js';

export interface CsvFileSourceOptions extends FileSourceOptions, CsvLayout {}

/**
 * CSV file whose rows become objects `{column: text}`; resumable at a byte offset (the header is re-read on
 * resume). A row with the wrong number of fields or broken quoting is dead-lettered naming line and column.
 * Quoted fields may not span lines.
 */
export class CsvFileSource extends FileSource {
  private readonly rows: CsvRowParser;

  constructor(options: CsvFileSourceOptions) {
    super(options);
    this.rows = new CsvRowParser(options, 'CsvFileSource');
  }

  protected async prepare(from: FilePosition): Promise<FilePosition> {
    if (!this.rows.hasHeader) return from;
    const reader = new LineReader(this.options.path, { offset: 0, line: 1 }, false);
    try {
      const first = await reader.read(1);
      if (!first?.length) throw new Error(`${this.options.path}: expected a CSV header line, got an empty file`);
      this.rows.readHeader(first[0]!.text, `${this.file}:1`);
      return from.offset === 0 ? { offset: first[0]!.end, line: 2 } : from;
    } finally {
      await reader.close();
    }
  }

  protected parse(line: FileLine): { value: unknown } | { value: string; error: string } {
    return this.rows.parse(line.text);
  }
}

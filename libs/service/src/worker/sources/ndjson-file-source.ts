import { FileSource } from './file-source-base.js';
import type { FileLine, FilePosition } from './line-reader.js';

/** Newline-delimited JSON file: one event per line, resumable at a byte offset; blank lines are skipped. */
export class NdjsonFileSource extends FileSource {
  protected async prepare(from: FilePosition): Promise<FilePosition> {
    return from;
  }

  protected parse(line: FileLine): { value: unknown } | { value: string; error: string } {
    return parseJsonLine(line.text);
  }
}

/** One NDJSON line: its value, or the text with why it is not JSON. */
export function parseJsonLine(text: string): { value: unknown } | { value: string; error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { value: text, error: jsonErrorMessage(error as Error) };
  }
}

/** V8 reports a character position for some JSON errors; give it as a 1-based column. */
export function jsonErrorMessage(error: Error): string {
  const at = /at position (\d+)/.exec(error.message);
  const column = at ? `column ${Number(at[1]) + 1}: ` : '';
  return `invalid JSON, ${column}${error.message}`;
}

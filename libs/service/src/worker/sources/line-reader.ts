import { open, type FileHandle } from 'node:fs/promises';

/** One line of a file with its byte range, so a reader can resume exactly after it. */
export interface FileLine {
  readonly text: string;
  /** Byte offset of the line's first byte. */
  readonly start: number;
  /** Byte offset just past the line's newline: where reading resumes. */
  readonly end: number;
  /** 1-based line number. */
  readonly line: number;
}

/** Where a file reader resumes: a byte offset and the line number at that offset (for messages). */
export interface FilePosition {
  readonly offset: number;
  readonly line: number;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads a file line by line from a byte offset. Without `follow` the file ends at EOF (a last line without a
 * newline counts); with `follow` an unterminated tail waits for its newline, as data is still being appended.
 */
export class LineReader {
  private handle: FileHandle | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private carryStart: number;
  private readAt: number;
  private nextLine: number;
  private ended = false;

  constructor(
    readonly path: string,
    from: FilePosition,
    private readonly follow: boolean,
  ) {
    this.carryStart = from.offset;
    this.readAt = from.offset;
    this.nextLine = from.line;
  }

  /** Up to `max` lines; `[]` when following and nothing new was appended; `null` at the end of a non-followed file. */
  async read(max: number): Promise<FileLine[] | null> {
    if (this.ended) return null;
    this.handle ??= await open(this.path, 'r');
    const lines: FileLine[] = [];
    while (lines.length < max) {
      const nl = this.carry.indexOf(NEWLINE);
      if (nl >= 0) {
        lines.push(this.take(nl + 1));
        continue;
      }
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await this.handle.read(chunk, 0, CHUNK, this.readAt);
      if (bytesRead > 0) {
        this.readAt += bytesRead;
        this.carry = this.carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([this.carry, chunk.subarray(0, bytesRead)]);
        continue;
      }
      if (this.follow) break;
      if (this.carry.length > 0) lines.push(this.take(this.carry.length));
      if (lines.length === 0) {
        this.ended = true;
        return null;
      }
      break;
    }
    return lines;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private take(length: number): FileLine {
    const bytes = this.carry.subarray(0, length);
    let text = bytes.toString('utf8');
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line: FileLine = { text, start: this.carryStart, end: this.carryStart + length, line: this.nextLine++ };
    this.carry = this.carry.subarray(length);
    this.carryStart += length;
    return line;
  }
}

export function encodePosition(p: FilePosition): string {
  return JSON.stringify(p);
}

/** Parses a saved file position; a position from another kind of source is refused with what was got. */
export function decodePosition(saved: string | undefined, path: string): FilePosition {
  if (saved === undefined) return { offset: 0, line: 1 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(saved);
  } catch {
    parsed = undefined;
  }
  const p = parsed as Partial<FilePosition> | undefined;
  if (!p || !Number.isInteger(p.offset) || !Number.isInteger(p.line) || p.offset! < 0 || p.line! < 1) {
    throw new Error(`checkpoint position for ${path}: expected {"offset":<bytes>,"line":<n>}, got ${JSON.stringify(saved)}`);
  }
  return { offset: p.offset!, line: p.line! };
}

import { open, type FileHandle } from 'node:fs/promises';

/** One line of a file and the byte range it occupies, so reading can resume exactly after it. */
export interface ByteLine {
  readonly text: string;
  readonly start: number;
  /** Offset just past the line's newline. */
  readonly end: number;
  /** 1-based line number. */
  readonly line: number;
}

const CHUNK = 64 * 1024;

/**
 * Reads a file's lines from a byte offset (the platform's file sources keep theirs internal). A last line
 * without a newline counts; `\r\n` endings are trimmed.
 */
export class ByteLineReader {
  private handle: FileHandle | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private carryStart: number;
  private readAt: number;
  private nextLine: number;
  private ended = false;

  constructor(
    readonly path: string,
    from: { offset: number; line: number },
  ) {
    this.carryStart = from.offset;
    this.readAt = from.offset;
    this.nextLine = from.line;
  }

  /** Up to `max` lines; null once the file is exhausted. */
  async read(max: number): Promise<ByteLine[] | null> {
    if (this.ended) return null;
    this.handle ??= await open(this.path, 'r');
    const lines: ByteLine[] = [];
    while (lines.length < max) {
      const nl = this.carry.indexOf(0x0a);
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
      if (this.carry.length > 0) lines.push(this.take(this.carry.length));
      else if (lines.length === 0) {
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

  private take(length: number): ByteLine {
    let text = this.carry.subarray(0, length).toString('utf8');
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = { text, start: this.carryStart, end: this.carryStart + length, line: this.nextLine++ };
    this.carry = this.carry.subarray(length);
    this.carryStart += length;
    return line;
  }
}

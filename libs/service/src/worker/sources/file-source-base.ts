import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { EventSource, SourceRecord } from '../types.js';
import { decodePosition, encodePosition, LineReader, type FileLine, type FilePosition } from './line-reader.js';

export interface FileSourceOptions {
  path: string;
  /** Keep reading as the file grows instead of ending at EOF. Default false. */
  follow?: boolean;
  /** Stream name (idempotency scope, checkpoint key). Default `file:<basename>`. */
  name?: string;
  /** Reader name for the checkpoint. Default `default`. */
  consumer?: string;
}

/**
 * What the NDJSON and CSV sources share: resuming at a saved byte offset, turning lines into records whose
 * position is the offset after them. Subclasses say how lines become records.
 */
export abstract class FileSource implements EventSource {
  readonly name: string;
  readonly consumer: string;
  protected reader: LineReader | undefined;
  protected readonly file: string;

  constructor(protected readonly options: FileSourceOptions) {
    this.file = basename(options.path);
    this.name = options.name ?? `file:${this.file}`;
    this.consumer = options.consumer ?? 'default';
  }

  async open(resumeFrom: string | undefined): Promise<void> {
    const from = decodePosition(resumeFrom, this.options.path);
    const { size } = await stat(this.options.path);
    if (size < from.offset) {
      throw new Error(`${this.options.path}: checkpoint is at byte ${from.offset} but the file has ${size} bytes (truncated or replaced?)`);
    }
    const start = await this.prepare(from);
    this.reader = new LineReader(this.options.path, start, this.options.follow ?? false);
  }

  async read(max: number): Promise<SourceRecord[] | null> {
    if (!this.reader) throw new Error(`source ${this.name} read before open`);
    const records: SourceRecord[] = [];
    while (records.length < max) {
      const lines = await this.reader.read(max - records.length);
      if (lines === null) return records.length > 0 ? records : null;
      if (lines.length === 0) break;
      for (const line of lines) {
        if (line.text.trim() === '') continue;
        records.push(this.toRecord(line, { offset: line.end, line: line.line + 1 }));
      }
    }
    return records;
  }

  /** File offsets are acknowledged by the checkpoint itself. */
  async ack(): Promise<void> {}

  async close(): Promise<void> {
    await this.reader?.close();
  }

  /** Reads whatever precedes the data (a CSV header) and returns where data reading starts. */
  protected abstract prepare(from: FilePosition): Promise<FilePosition>;

  protected abstract parse(line: FileLine): { value: unknown } | { value: string; error: string };

  private toRecord(line: FileLine, after: FilePosition): SourceRecord {
    const base = { deliveryId: `${this.name}@${line.start}`, origin: `${this.file}:${line.line}`, position: encodePosition(after) };
    return { ...base, ...this.parse(line) };
  }
}

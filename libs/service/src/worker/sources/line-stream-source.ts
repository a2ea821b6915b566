import type { Readable } from 'node:stream';
import { raceAbort } from '../async-signal.js';
import type { EventSource, SourceRecord } from '../types.js';
import { CsvRowParser, type CsvLayout } from './csv-row.js';
import { parseJsonLine } from './ndjson-file-source.js';

export interface LineStreamSourceOptions {
  /** The byte stream to read lines from. Default `process.stdin`. */
  input?: Readable;
  /** `ndjson` (default) or `csv`. */
  format?: 'ndjson' | 'csv';
  csv?: CsvLayout;
  /** Stream name. Default `stdin`. */
  name?: string;
  consumer?: string;
}

/**
 * NDJSON or CSV lines from a stream, stdin by default. A pipe cannot be rewound, so there is no position to
 * resume from: events without an `id` get an id unique to this run, and only events that carry ids are
 * deduplicated when the same input is piped again. Chunks are pulled only when the worker has room, so a fast
 * producer is held back by the pipe (back-pressure).
 */
export class LineStreamSource implements EventSource {
  readonly name: string;
  readonly consumer: string;
  private readonly input: Readable;
  private readonly csv: CsvRowParser | undefined;
  private chunks: AsyncIterator<unknown> | undefined;
  /** A chunk request still outstanding from a read that was aborted; the next read takes it over. */
  private nextChunk: Promise<IteratorResult<unknown>> | undefined;
  private carry = '';
  private lines: { text: string; line: number }[] = [];
  private lineNo = 0;
  private ended = false;
  private readonly run = `${Date.now().toString(36)}-${process.pid}`;
  private readonly decoder = new TextDecoder();

  constructor(options: LineStreamSourceOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.name = options.name ?? 'stdin';
    this.consumer = options.consumer ?? 'default';
    const format = options.format ?? 'ndjson';
    if (format !== 'ndjson' && format !== 'csv') throw new Error(`LineStreamSource format: expected "ndjson" or "csv", got ${JSON.stringify(format)}`);
    this.csv = format === 'csv' ? new CsvRowParser(options.csv ?? {}, 'LineStreamSource csv') : undefined;
  }

  async open(): Promise<void> {
    this.chunks = this.input[Symbol.asyncIterator]();
  }

  async read(max: number, signal: AbortSignal): Promise<SourceRecord[] | null> {
    while (this.lines.length === 0 && !this.ended) {
      if (signal.aborted) return [];
      this.nextChunk ??= this.chunks!.next();
      const next = await raceAbort(this.nextChunk, signal);
      if (next === 'aborted') return [];
      this.nextChunk = undefined;
      if (next.done) {
        this.ended = true;
        this.carry += this.decoder.decode();
        if (this.carry !== '') this.lines.push({ text: this.carry, line: ++this.lineNo });
        this.carry = '';
      } else {
        const chunk = next.value;
        this.carry += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk as Uint8Array, { stream: true });
        const parts = this.carry.split('\n');
        this.carry = parts.pop()!;
        for (const text of parts) this.lines.push({ text: text.endsWith('\r') ? text.slice(0, -1) : text, line: ++this.lineNo });
      }
      if (this.csv && !this.csv.ready && this.lines.length > 0) this.csv.readHeader(this.lines.shift()!.text, `${this.name}:1`);
    }
    if (this.lines.length === 0) return null;
    const records: SourceRecord[] = [];
    for (const { text, line } of this.lines.splice(0, max)) {
      if (text.trim() === '') continue;
      const parsed = this.csv ? this.csv.parse(text) : parseJsonLine(text);
      records.push({ deliveryId: `${this.name}:${this.run}:${line}`, origin: `${this.name}:${line}`, ...parsed });
    }
    return records;
  }

  async ack(): Promise<void> {}

  async close(): Promise<void> {}
}

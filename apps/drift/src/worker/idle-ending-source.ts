import type { EventSource, SourceRecord } from '@moe/service';

/**
 * Ends a never-ending source (a Redis stream) once it has had nothing to give for `idleMs`: the worker then
 * commits what it read and stops, as it does at the end of a file. For batch catch-up jobs and tests.
 */
export class IdleEndingSource implements EventSource {
  private idleSince: number | undefined;

  constructor(
    private readonly inner: EventSource,
    private readonly idleMs: number,
  ) {
    if (!(idleMs > 0)) throw new RangeError(`stop-when-idle-ms: expected a positive number, got ${idleMs}`);
  }

  get name(): string {
    return this.inner.name;
  }

  get consumer(): string {
    return this.inner.consumer;
  }

  open(resumeFrom: string | undefined): Promise<void> {
    return this.inner.open(resumeFrom);
  }

  async read(max: number, signal: AbortSignal): Promise<SourceRecord[] | null> {
    const records = await this.inner.read(max, signal);
    if (records === null) return null;
    if (records.length > 0) {
      this.idleSince = undefined;
      return records;
    }
    this.idleSince ??= Date.now();
    return Date.now() - this.idleSince >= this.idleMs ? null : records;
  }

  ack(records: readonly SourceRecord[]): Promise<void> {
    return this.inner.ack(records);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

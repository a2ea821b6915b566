import { Redis, type RedisOptions } from 'ioredis';
import type { EventSource, SourceRecord } from '../types.js';

export interface RedisStreamSourceOptions {
  /** `redis://host:port` or ioredis options. The source opens its own two connections (blocking reads, commands). */
  redis: string | RedisOptions;
  stream: string;
  group: string;
  /** This worker's consumer name; keep it stable across restarts so its own pending entries are re-read. */
  consumer: string;
  /** Where a group created by this source starts: `0` (every entry in the stream) or `$` (new entries only). Default `0`. */
  startId?: string;
  /** XREADGROUP BLOCK time: how long one read waits for new entries (bounds how fast `stop` is noticed). Default 500 ms. */
  blockMs?: number;
  /** Entries pending longer than this on any consumer are taken over (XAUTOCLAIM): a crashed consumer's work. Default 30 s. */
  claimIdleMs?: number;
  /** How often to look for such entries. Default half of claimIdleMs. */
  claimIntervalMs?: number;
  /** The field holding the event as JSON; entries without it are read as their field map. Default `data`. */
  payloadField?: string;
  /** Stream name for checkpoints, idempotency and dead letters. Default `redis:<stream>/<group>`. */
  name?: string;
}

type RawEntry = [id: string, fields: string[] | null];

/**
 * A Redis Streams consumer-group reader. On open it creates the group (MKSTREAM) if needed and first re-reads
 * this consumer's own pending entries (id `0`): what it had read but not acknowledged before a crash. Then it
 * reads new entries (`>`), and every claim interval takes over entries idle on other consumers (XAUTOCLAIM).
 * Entries are acknowledged (XACK) only after the worker committed their effects.
 */
export class RedisStreamSource implements EventSource {
  readonly name: string;
  readonly consumer: string;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private readonly claimIntervalMs: number;
  private readonly payloadField: string;
  private reader: Redis | undefined;
  private commands: Redis | undefined;
  /** Reading our own pending list from this id; undefined once it is exhausted. */
  private pendingCursor: string | undefined = '0';
  private claimCursor = '0-0';
  private nextClaimAt = 0;
  private claimedCount = 0;

  constructor(private readonly options: RedisStreamSourceOptions) {
    for (const key of ['stream', 'group', 'consumer'] as const) {
      if (typeof options[key] !== 'string' || options[key].length === 0) {
        throw new Error(`RedisStreamSource ${key}: expected a non-empty string, got ${JSON.stringify(options[key])}`);
      }
    }
    this.name = options.name ?? `redis:${options.stream}/${options.group}`;
    this.consumer = options.consumer;
    this.blockMs = options.blockMs ?? 500;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.claimIntervalMs = options.claimIntervalMs ?? Math.max(1, Math.floor(this.claimIdleMs / 2));
    this.payloadField = options.payloadField ?? 'data';
  }

  /** Entries taken over from idle consumers (XAUTOCLAIM) since this source was created, for logs and tests. */
  get claimed(): number {
    return this.claimedCount;
  }

  async open(): Promise<void> {
    const connect = (): Redis =>
      typeof this.options.redis === 'string' ? new Redis(this.options.redis, { lazyConnect: true }) : new Redis({ ...this.options.redis, lazyConnect: true });
    this.reader = connect();
    this.commands = connect();
    try {
      await Promise.all([this.reader.connect(), this.commands.connect()]);
      await this.commands.xgroup('CREATE', this.options.stream, this.options.group, this.options.startId ?? '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) {
        // The worker never starts, so nobody will call close(): drop both connections now, or ioredis keeps
        // them (and its reconnect timers) alive and the process with them.
        this.reader.disconnect();
        this.commands.disconnect();
        this.reader = undefined;
        this.commands = undefined;
        throw error;
      }
    }
    this.pendingCursor = '0';
    this.nextClaimAt = Date.now() + this.claimIntervalMs;
  }

  async read(max: number): Promise<SourceRecord[] | null> {
    const reader = this.reader;
    const commands = this.commands;
    if (!reader || !commands) throw new Error(`source ${this.name} read before open`);
    const { stream, group } = this.options;

    if (this.pendingCursor !== undefined) {
      const reply = (await reader.xreadgroup('GROUP', group, this.consumer, 'COUNT', max, 'STREAMS', stream, this.pendingCursor)) as [string, RawEntry[]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) this.pendingCursor = undefined;
      else {
        this.pendingCursor = entries[entries.length - 1]![0];
        return this.toRecords(entries);
      }
    }

    if (Date.now() >= this.nextClaimAt) {
      const [next, entries] = (await commands.xautoclaim(stream, group, this.consumer, this.claimIdleMs, this.claimCursor, 'COUNT', max)) as [string, RawEntry[], string[]?];
      this.claimCursor = next;
      // A full pass over the pending list ends with cursor 0-0; wait an interval before the next pass.
      if (next === '0-0') this.nextClaimAt = Date.now() + this.claimIntervalMs;
      if (entries.length > 0) {
        this.claimedCount += entries.length;
        return this.toRecords(entries);
      }
    }

    const reply = (await reader.xreadgroup('GROUP', group, this.consumer, 'COUNT', max, 'BLOCK', this.blockMs, 'STREAMS', stream, '>')) as [string, RawEntry[]][] | null;
    return this.toRecords(reply?.[0]?.[1] ?? []);
  }

  async ack(records: readonly SourceRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.commands!.xack(this.options.stream, this.options.group, ...records.map((r) => r.deliveryId));
  }

  async close(): Promise<void> {
    await Promise.all([this.reader?.quit().catch(() => undefined), this.commands?.quit().catch(() => undefined)]);
    this.reader = undefined;
    this.commands = undefined;
  }

  private async toRecords(entries: RawEntry[]): Promise<SourceRecord[]> {
    const records: SourceRecord[] = [];
    const deleted: string[] = [];
    for (const [id, fields] of entries) {
      // A pending entry trimmed from the stream comes back without fields: nothing to apply, just let it go.
      if (fields === null) {
        deleted.push(id);
        continue;
      }
      records.push({ deliveryId: id, origin: `${this.options.stream}:${id}`, position: id, ...this.parse(fields) });
    }
    if (deleted.length > 0) await this.commands!.xack(this.options.stream, this.options.group, ...deleted);
    return records;
  }

  private parse(fields: string[]): { value: unknown } | { value: unknown; error: string } {
    const map: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
    const payload = map[this.payloadField];
    if (payload === undefined) return { value: map };
    try {
      return { value: JSON.parse(payload) as unknown };
    } catch (error) {
      return { value: payload, error: `field ${this.payloadField}: invalid JSON, ${(error as Error).message}` };
    }
  }
}

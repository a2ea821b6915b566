/**
 * Contracts of the worker runtime: a source yields records, a store persists what applying them did, a
 * handler applies one event. The runtime owns ordering, batching, back-pressure, idempotency and acks.
 */

/** One unit read from a source, before decoding. */
export interface SourceRecord {
  /** Delivery id from the source (file byte offset, Redis entry id, push sequence); unique within the source. */
  readonly deliveryId: string;
  /** Where the record came from, for dead letters and logs: `events.ndjson:12`, `stream:1700000000-0`. */
  readonly origin: string;
  /** Source position to resume from once this record and every earlier one is applied. */
  readonly position?: string;
  /** The record's content: a parsed JSON value, CSV row object or Redis field map. Absent when `error` is set. */
  readonly value?: unknown;
  /** Why the source could not even parse the record (bad JSON, wrong CSV column count); it goes to dead letters. */
  readonly error?: string;
}

/** Where events come from. A source is read by one worker at a time and never reads past what it was asked. */
export interface EventSource {
  /** Name of the stream, used in logs, dead letters and as the idempotency scope. */
  readonly name: string;
  /** This reader's name within the stream (Redis consumer name); the checkpoint is kept per stream and consumer. */
  readonly consumer: string;
  /** Opens the source; `resumeFrom` is the position saved by the last checkpoint (absent on a first start). */
  open(resumeFrom: string | undefined): Promise<void>;
  /**
   * Reads at most `max` records. Resolves `[]` when nothing is available right now (the runtime polls again),
   * `null` when the source has ended for good. Must resolve soon after `signal` aborts.
   */
  read(max: number, signal: AbortSignal): Promise<SourceRecord[] | null>;
  /** Called after the records' effects are durable (committed); acknowledges them to the source. */
  ack(records: readonly SourceRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** An event that could not be applied, kept with its reason so the stream can go on. */
export interface DeadLetter {
  readonly eventId: string;
  /** The stream's name (`EventSource.name`). */
  readonly source: string;
  readonly origin: string;
  readonly reason: string;
  /** The raw record as read, serialised as JSON (or the raw text when it was not JSON). */
  readonly payload: string;
}

/** Whose checkpoint: one per consumer of a stream. */
export interface CheckpointKey {
  readonly stream: string;
  readonly consumer: string;
}

/** What a checkpoint holds: the source position and the learner state, saved together. */
export interface Checkpoint {
  readonly position: string | undefined;
  /** Learner state serialised by the learner itself (JSON, base64…); absent for stateless handlers. */
  readonly state: string | undefined;
  /** Events this consumer has applied in all, for dashboards. */
  readonly eventsApplied: number;
}

/**
 * The persistence of one commit. Every method runs inside the same transaction (or the same atomic file
 * write): effects, processed ids, dead letters and the checkpoint become durable together or not at all.
 */
export interface UnitOfWork<Tx> {
  /** The store's transaction handle, passed to the handler so its own effects join the commit. */
  readonly tx: Tx;
  /**
   * Of `eventIds`, the ones a previous commit already applied within `scope` (the stream: consumers of one
   * Redis group share a scope, so an entry claimed from a crashed consumer is not applied twice).
   */
  processed(scope: string, eventIds: readonly string[]): Promise<ReadonlySet<string>>;
  markProcessed(scope: string, eventIds: readonly string[]): Promise<void>;
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
  saveCheckpoint(key: CheckpointKey, checkpoint: Checkpoint): Promise<void>;
}

/** Durable state of a worker: checkpoints, processed event ids and dead letters behind one transaction. */
export interface WorkerStore<Tx> {
  /** The last checkpoint saved under `key`, or undefined on a first start. */
  loadCheckpoint(key: CheckpointKey): Promise<Checkpoint | undefined>;
  /** Runs `body` in one transaction; rejects (and persists nothing) if `body` does. */
  transaction<T>(body: (unit: UnitOfWork<Tx>) => Promise<T>): Promise<T>;
  /** True when a failed transaction may simply be retried (lock contention, a concurrent insert of the same id). */
  isRetryable(error: unknown): boolean;
  close(): Promise<void>;
}

/** Applies decoded events. Stateless handlers write through `tx`; learners also keep state in memory. */
export interface EventHandler<E, Tx> {
  /** Checks and converts a record's value; throw `MalformedEventError` to dead-letter it. */
  decode(value: unknown, record: SourceRecord): E;
  /** The idempotency key of an event; defaults to its `id` field, then the record's delivery id. */
  eventId?(event: E, record: SourceRecord): string;
  /** Applies one event inside the commit's transaction. */
  apply(event: E, tx: Tx, record: SourceRecord): Promise<void> | void;
  /** Serialises the learner state for the checkpoint; omit for stateless handlers. */
  snapshot?(): string;
  /** Restores the state saved by `snapshot` (called on start and after a failed commit). */
  restore?(state: string | undefined): void;
}

import { AsyncSignal, sleep } from './async-signal.js';
import { positiveInt, WorkerConfigError } from './errors.js';
import { prepareBatch } from './prepare-batch.js';
import type { CheckpointKey, EventHandler, EventSource, SourceRecord, WorkerStore } from './types.js';

export interface WorkerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface WorkerOptions<E, Tx> {
  source: EventSource;
  handler: EventHandler<E, Tx>;
  store: WorkerStore<Tx>;
  /** Most records asked of the source in one read. Default 100. */
  batchSize?: number;
  /** Most records read but not yet committed; reading pauses at this bound (back-pressure). Default 1000. */
  maxInFlight?: number;
  /** Events per commit: each commit applies them and saves the checkpoint in one transaction. Default batchSize. */
  checkpointEvery?: number;
  /** A partial commit is made when records have waited this long. Default 200 ms. */
  flushIntervalMs?: number;
  /** Wait before asking an idle source again. Default 50 ms. */
  pollIntervalMs?: number;
  /** Attempts of a commit that fails with a retryable store error (lock contention). Default 8. */
  commitAttempts?: number;
  logger?: WorkerLogger;
  /** Called after each commit, once its records are acknowledged. */
  onCommit?(info: CommitInfo): void;
  /** Called when the source has nothing more to read for now (first empty read after records, or at start). */
  onCaughtUp?(): void;
}

export interface CommitInfo {
  readonly records: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly position: string | undefined;
}

export interface WorkerStats {
  read: number;
  applied: number;
  duplicates: number;
  deadLettered: number;
  commits: number;
  /** Largest number of records that were read but not yet committed at any moment. */
  maxInFlightSeen: number;
}

const silent: WorkerLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Pulls records from a source and applies them in commits: the effects, the processed event ids, the dead
 * letters and the checkpoint (source position + learner state) of a commit are one store transaction, and
 * the records are acknowledged to the source only after it. A crash therefore redelivers at most the
 * uncommitted records, and the processed ids turn that at-least-once delivery into exactly-once effects.
 */
export class Worker<E, Tx> {
  readonly stats: WorkerStats = { read: 0, applied: 0, duplicates: 0, deadLettered: 0, commits: 0, maxInFlightSeen: 0 };
  private readonly source: EventSource;
  private readonly handler: EventHandler<E, Tx>;
  private readonly store: WorkerStore<Tx>;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly checkpointEvery: number;
  private readonly flushIntervalMs: number;
  private readonly pollIntervalMs: number;
  private readonly commitAttempts: number;
  private readonly log: WorkerLogger;
  private readonly onCommit: ((info: CommitInfo) => void) | undefined;
  private readonly onCaughtUp: (() => void) | undefined;
  private caughtUp = false;

  private readonly pending: SourceRecord[] = [];
  private inFlight = 0;
  private stopping = false;
  private readerDone = false;
  private readonly abort = new AbortController();
  private readonly recordsArrived = new AsyncSignal();
  private readonly capacityFreed = new AsyncSignal();
  private position: string | undefined;
  private eventsApplied = 0;
  private committedState: string | undefined;
  private running: Promise<WorkerStats> | undefined;

  constructor(options: WorkerOptions<E, Tx>) {
    this.source = options.source;
    this.handler = options.handler;
    this.store = options.store;
    this.batchSize = positiveInt('batchSize', options.batchSize, 100);
    this.maxInFlight = positiveInt('maxInFlight', options.maxInFlight, 1000);
    this.checkpointEvery = positiveInt('checkpointEvery', options.checkpointEvery, this.batchSize);
    if (this.checkpointEvery > this.maxInFlight) {
      throw new WorkerConfigError('checkpointEvery', `at most maxInFlight (${this.maxInFlight})`, this.checkpointEvery);
    }
    this.flushIntervalMs = positiveInt('flushIntervalMs', options.flushIntervalMs, 200);
    this.pollIntervalMs = positiveInt('pollIntervalMs', options.pollIntervalMs, 50);
    this.commitAttempts = positiveInt('commitAttempts', options.commitAttempts, 8);
    this.log = options.logger ?? silent;
    this.onCommit = options.onCommit;
    this.onCaughtUp = options.onCaughtUp;
  }

  private get key(): CheckpointKey {
    return { stream: this.source.name, consumer: this.source.consumer };
  }

  /** Restores the checkpoint, opens the source and starts working; `done` settles when it stops. */
  async start(): Promise<void> {
    if (this.running) throw new Error('worker already started');
    const checkpoint = await this.store.loadCheckpoint(this.key);
    this.position = checkpoint?.position;
    this.eventsApplied = checkpoint?.eventsApplied ?? 0;
    this.committedState = checkpoint?.state;
    this.handler.restore?.(checkpoint?.state);
    await this.source.open(checkpoint?.position);
    this.log.info({ source: this.source.name, position: this.position }, 'worker started');
    this.running = this.run();
    // Keep an unobserved failure from becoming an unhandled rejection before someone awaits `done`.
    this.running.catch(() => {});
  }

  /** Settles when the source has ended and everything read is committed, or after `stop`. */
  get done(): Promise<WorkerStats> {
    if (!this.running) return Promise.reject(new Error('worker not started'));
    return this.running;
  }

  /** Graceful stop: reading stops, every record already read is committed and acknowledged, the source closes. */
  async stop(): Promise<WorkerStats> {
    this.stopping = true;
    this.abort.abort();
    this.capacityFreed.notify();
    this.recordsArrived.notify();
    return this.done;
  }

  private async run(): Promise<WorkerStats> {
    // A failing reader still lets the committer commit what was read; a failing committer stops the reader.
    const reader = this.readLoop().finally(() => {
      this.readerDone = true;
      this.recordsArrived.notify();
    });
    const committer = this.commitLoop().catch((error: unknown) => {
      this.stopping = true;
      this.abort.abort();
      this.capacityFreed.notify();
      throw error;
    });
    const [read, commit] = await Promise.allSettled([reader, committer]);
    try {
      const failure = commit.status === 'rejected' ? commit : read.status === 'rejected' ? read : undefined;
      if (failure) {
        this.log.error({ err: failure.reason }, 'worker failed');
        throw failure.reason;
      }
      this.log.info({ ...this.stats }, 'worker stopped');
      return this.stats;
    } finally {
      await this.source.close();
    }
  }

  private async readLoop(): Promise<void> {
    while (!this.stopping) {
      const room = this.maxInFlight - this.inFlight;
      if (room <= 0) {
        await this.capacityFreed.wait();
        continue;
      }
      const records = await this.source.read(Math.min(this.batchSize, room), this.abort.signal);
      if (records === null) return;
      if (records.length === 0) {
        if (!this.caughtUp) this.onCaughtUp?.();
        this.caughtUp = true;
        await sleep(this.pollIntervalMs, this.abort.signal);
        continue;
      }
      this.caughtUp = false;
      if (records.length > room) {
        throw new Error(`source ${this.source.name} returned ${records.length} records, asked for at most ${room}`);
      }
      this.pending.push(...records);
      this.inFlight += records.length;
      this.stats.read += records.length;
      this.stats.maxInFlightSeen = Math.max(this.stats.maxInFlightSeen, this.inFlight);
      if (this.pending.length >= this.checkpointEvery) this.recordsArrived.notify();
    }
  }

  private async commitLoop(): Promise<void> {
    for (;;) {
      const full = this.pending.length >= this.checkpointEvery;
      if (full || ((this.readerDone || this.stopping) && this.pending.length > 0)) {
        await this.commit(this.pending.splice(0, this.checkpointEvery));
        continue;
      }
      if (this.readerDone) return;
      const before = this.pending.length;
      await this.recordsArrived.wait(this.flushIntervalMs);
      // Records that waited a whole interval without filling a commit are committed anyway.
      if (before > 0 && this.pending.length > 0 && this.pending.length < this.checkpointEvery) {
        await this.commit(this.pending.splice(0, this.pending.length));
      }
    }
  }

  private async commit(records: SourceRecord[]): Promise<void> {
    const batch = prepareBatch(records, this.handler, this.source.name);
    const position = lastPosition(records) ?? this.position;
    const scope = this.source.name;
    let outcome = { applied: 0, duplicates: 0, deadLettered: 0, state: undefined as string | undefined };
    for (let attempt = 1; ; attempt++) {
      try {
        outcome = await this.store.transaction(async (unit) => {
          const done = await unit.processed(scope, batch.ids);
          const fresh = batch.events.filter((e) => !done.has(e.id));
          for (const e of fresh) await this.handler.apply(e.event, unit.tx, e.record);
          const letters = batch.deadLetters.filter((d) => !done.has(d.eventId));
          if (letters.length > 0) await unit.deadLetter(letters);
          await unit.markProcessed(scope, [...fresh.map((e) => e.id), ...letters.map((d) => d.eventId)]);
          const state = this.handler.snapshot?.();
          await unit.saveCheckpoint(this.key, { position, state, eventsApplied: this.eventsApplied + fresh.length });
          return {
            applied: fresh.length,
            duplicates: records.length - fresh.length - letters.length,
            deadLettered: letters.length,
            state,
          };
        });
        break;
      } catch (error) {
        // A failed transaction persisted nothing, but the learner may have applied part of the batch in memory.
        this.handler.restore?.(this.committedState);
        if (attempt >= this.commitAttempts || !this.store.isRetryable(error)) throw error;
        this.log.warn({ attempt, err: error }, 'commit conflicted, retrying');
        await sleep(Math.min(1000, 10 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
    this.committedState = outcome.state;
    this.position = position;
    this.eventsApplied += outcome.applied;
    await this.source.ack(records);
    this.inFlight -= records.length;
    this.capacityFreed.notify();
    this.stats.applied += outcome.applied;
    this.stats.duplicates += outcome.duplicates;
    this.stats.deadLettered += outcome.deadLettered;
    this.stats.commits += 1;
    this.onCommit?.({ records: records.length, applied: outcome.applied, duplicates: outcome.duplicates, deadLettered: outcome.deadLettered, position });
  }
}

function lastPosition(records: readonly SourceRecord[]): string | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const p = records[i]!.position;
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Creates a worker and starts it. */
export async function runWorker<E, Tx>(options: WorkerOptions<E, Tx>): Promise<Worker<E, Tx>> {
  const worker = new Worker(options);
  await worker.start();
  return worker;
}

import { isUniqueViolation, type Db, type Prisma } from '@moe/db';
import type { Checkpoint, CheckpointKey, DeadLetter, UnitOfWork, WorkerStore } from '../types.js';

/** The handle handlers get: Prisma's interactive-transaction client, so their writes join the commit. */
export type PrismaTx = Prisma.TransactionClient;

export interface PrismaWorkerStoreOptions {
  db: Db;
  /** The app the worker belongs to (recorded with checkpoints and dead letters). */
  app: string;
  /** Longest a commit's transaction may run before Prisma aborts it. Default 30 s. */
  transactionTimeoutMs?: number;
}

/** Keeps `IN (...)` lists well under SQLite's and PostgreSQL's bound-parameter limits. */
const ID_CHUNK = 500;

/**
 * The database store (`@moe/db`, SQLite or PostgreSQL): checkpoints in `StreamCheckpoint` (one row per stream
 * and consumer, learner state as bytes), processed ids in `ProcessedEvent`, dead letters in `DeadLetter`, and
 * the handler's own writes, all in one interactive transaction. Several processes may share it (consumers of
 * one Redis group): a concurrent commit of the same event id fails on `ProcessedEvent`'s key and is retried,
 * and the retry finds the id processed.
 */
export class PrismaWorkerStore implements WorkerStore<PrismaTx> {
  private readonly timeout: number;

  constructor(private readonly options: PrismaWorkerStoreOptions) {
    if (typeof options.app !== 'string' || options.app.length === 0) {
      throw new Error(`PrismaWorkerStore app: expected a non-empty string, got ${JSON.stringify(options.app)}`);
    }
    this.timeout = options.transactionTimeoutMs ?? 30_000;
  }

  async loadCheckpoint(key: CheckpointKey): Promise<Checkpoint | undefined> {
    const row = await this.options.db.client.streamCheckpoint.findUnique({ where: { stream_consumer: { stream: key.stream, consumer: key.consumer } } });
    if (!row) return undefined;
    return {
      position: row.offset === '' ? undefined : row.offset,
      state: row.state ? Buffer.from(row.state).toString('utf8') : undefined,
      eventsApplied: row.eventsApplied,
    };
  }

  transaction<T>(body: (unit: UnitOfWork<PrismaTx>) => Promise<T>): Promise<T> {
    const app = this.options.app;
    const sqlite = this.options.db.provider === 'sqlite';
    return this.options.db.client.$transaction(
      async (tx) => {
        // Prisma opens SQLite transactions with a plain (deferred) BEGIN: one that reads first and writes later
        // fails with SQLITE_BUSY_SNAPSHOT when another process committed in between. A no-op write takes the
        // write lock up front, as BEGIN IMMEDIATE would, so concurrent workers queue on the busy timeout instead.
        if (sqlite) await tx.$executeRawUnsafe('UPDATE "StreamCheckpoint" SET "eventsApplied" = "eventsApplied" WHERE 0');
        return body({
          tx,
          async processed(scope, eventIds) {
            const found = new Set<string>();
            for (let i = 0; i < eventIds.length; i += ID_CHUNK) {
              const rows = await tx.processedEvent.findMany({ where: { scope, eventId: { in: eventIds.slice(i, i + ID_CHUNK) } }, select: { eventId: true } });
              for (const r of rows) found.add(r.eventId);
            }
            return found;
          },
          async markProcessed(scope, eventIds) {
            for (let i = 0; i < eventIds.length; i += ID_CHUNK) {
              await tx.processedEvent.createMany({ data: eventIds.slice(i, i + ID_CHUNK).map((eventId) => ({ scope, eventId })) });
            }
          },
          async deadLetter(letters: readonly DeadLetter[]) {
            await tx.deadLetter.createMany({
              data: letters.map((l) => ({ app, stream: l.source, eventId: l.eventId, payload: l.payload, reason: l.reason })),
            });
          },
          async saveCheckpoint(key, checkpoint) {
            const fields = {
              offset: checkpoint.position ?? '',
              state: checkpoint.state === undefined ? null : new Uint8Array(Buffer.from(checkpoint.state, 'utf8')),
              eventsApplied: checkpoint.eventsApplied,
            };
            await tx.streamCheckpoint.upsert({
              where: { stream_consumer: { stream: key.stream, consumer: key.consumer } },
              create: { app, stream: key.stream, consumer: key.consumer, ...fields },
              update: fields,
            });
          },
        });
      },
      { timeout: this.timeout, maxWait: this.timeout },
    );
  }

  /**
   * Worth retrying: a concurrent commit inserted the same processed id (unique violation), a write conflict
   * or deadlock (P2034), or a lock still held when the busy timeout ran out (SQLite's SQLITE_BUSY, which the
   * driver adapter reports as P1008).
   */
  isRetryable(error: unknown): boolean {
    if (isUniqueViolation(error)) return true;
    const e = error as { code?: unknown; message?: unknown } | null;
    if (e?.code === 'P2034' || e?.code === 'P1008') return true;
    return typeof e?.message === 'string' && /SQLITE_BUSY|database is locked|could not serialize|deadlock detected/i.test(e.message);
  }

  /**
   * Forgets processed ids recorded before `before`. Safe once no redelivery can be that old: Redis redelivers
   * only unacknowledged entries and file sources resume at their checkpoint, so a horizon well past the claim
   * idle time and the longest outage keeps exactly-once. Returns how many ids were removed.
   */
  async pruneProcessed(scope: string, before: Date): Promise<number> {
    const { count } = await this.options.db.client.processedEvent.deleteMany({ where: { scope, processedAt: { lt: before } } });
    return count;
  }

  /** The database belongs to the caller, who opened it and may share it with other code. */
  async close(): Promise<void> {}
}

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './client.js';

/**
 * Training runs are owned by the process that runs them. That process stamps `heartbeatAt` on its running
 * rows every few seconds; a `running` row whose heartbeat is older than `staleAfterMs` belongs to a process
 * that died (kill -9, OOM, a lost machine) and is reaped: marked `failed` with an error saying so. Services
 * reap at start-up and then periodically, so a restart that comes back before the heartbeat went stale still
 * gets its orphans reaped a little later, and a run of another live replica (fresh heartbeat) is never touched.
 */

/** A token naming this process, unique across restarts (pids are reused, e.g. pid 1 in containers). */
export function processOwnerToken(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

export interface ReapOptions {
  /** Only this app's runs. */
  readonly app: string;
  /** A heartbeat older than this means the owner is gone (default 30 s: three missed 10 s heartbeats). */
  readonly staleAfterMs?: number;
  /** Who reaps, for the error message. */
  readonly reaper?: string;
  readonly now?: Date;
}

export const DEFAULT_HEARTBEAT_MS = 10_000;
export const DEFAULT_STALE_AFTER_MS = 30_000;

/** Marks orphaned `running` runs of `app` as failed; returns the ids it reaped. */
export async function reapOrphanedTrainingRuns(db: Db, options: ReapOptions): Promise<number[]> {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  if (!(staleAfterMs > 0)) throw new RangeError(`reapOrphanedTrainingRuns: staleAfterMs must be > 0, got ${staleAfterMs}`);
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - staleAfterMs);
  // Rows written before heartbeats existed have none: judge them by their start time.
  const orphaned = { app: options.app, status: 'running', OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, startedAt: { lt: cutoff } }] };
  const rows = await db.client.trainingRun.findMany({ where: orphaned, select: { id: true, owner: true, heartbeatAt: true } });
  const reaped: number[] = [];
  for (const row of rows) {
    const last = row.heartbeatAt ? row.heartbeatAt.toISOString() : 'never';
    const error = `orphaned: the process running it (${row.owner ?? 'unknown'}) stopped sending heartbeats (last ${last}); reaped${options.reaper ? ` by ${options.reaper}` : ''} at ${now.toISOString()}`;
    // Re-checked in the update itself, so a heartbeat that arrives meanwhile wins and nothing is reaped twice.
    const { count } = await db.client.trainingRun.updateMany({ where: { id: row.id, ...orphaned }, data: { status: 'failed', error, finishedAt: now } });
    if (count === 1) reaped.push(row.id);
  }
  return reaped;
}

/** Stamps the heartbeat of this owner's running runs (one statement, however many runs). */
export async function heartbeatTrainingRuns(db: Db, owner: string, now = new Date()): Promise<number> {
  const { count } = await db.client.trainingRun.updateMany({ where: { owner, status: 'running' }, data: { heartbeatAt: now } });
  return count;
}

import { randomBytes } from 'node:crypto';
import { HttpError } from '@moe/service';
import type { DriftEventRecord, PrequentialSession } from './prequential-session.js';

/** A learner the service holds in memory, addressed by `id` under `/streams/:id`. */
export interface LiveStream {
  readonly id: string;
  readonly createdAt: Date;
  session: PrequentialSession;
  /** The snapshot (model version id) this learner was restored from, if any. */
  restoredFrom: number | undefined;
  /** Most recent detections, newest last (also stored in the database). */
  readonly recentDrift: DriftEventRecord[];
}

export const RECENT_DRIFT_KEPT = 50;

/**
 * The live learners, at most `maxStreams` of them: each holds a model (a DriftMoE learner is a few MB), so
 * an unbounded number would let clients exhaust the service's memory.
 */
export class StreamRegistry {
  private readonly streams = new Map<string, LiveStream>();

  constructor(readonly maxStreams: number) {
    if (!Number.isInteger(maxStreams) || maxStreams < 1) throw new RangeError(`maxStreams: expected a positive integer, got ${maxStreams}`);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Adds a learner under `id` (a fresh random id when absent); 409 when taken, 429 when full. */
  add(session: PrequentialSession, id?: string, restoredFrom?: number): LiveStream {
    const key = id ?? `s-${randomBytes(6).toString('hex')}`;
    if (this.streams.has(key)) throw new HttpError('conflict', `a stream with id '${key}' already exists; delete it first or choose another id`, { path: 'body.id' });
    this.ensureRoom();
    const live: LiveStream = { id: key, createdAt: new Date(), session, restoredFrom, recentDrift: [] };
    this.streams.set(key, live);
    return live;
  }

  /** Puts `session` under `id`, replacing the learner there or adding one (subject to the bound). */
  put(id: string, session: PrequentialSession, restoredFrom: number): LiveStream {
    const existing = this.streams.get(id);
    if (existing === undefined) return this.add(session, id, restoredFrom);
    existing.session = session;
    existing.restoredFrom = restoredFrom;
    existing.recentDrift.length = 0;
    return existing;
  }

  /** Checks that one more learner fits, before the caller does expensive work to build it. */
  ensureRoom(id?: string): void {
    if (id !== undefined && this.streams.has(id)) return;
    if (this.streams.size >= this.maxStreams) {
      throw new HttpError('rate_limited', `the service holds at most ${this.maxStreams} live learners and has ${this.streams.size}; delete one (DELETE /api/drift/streams/:id) before creating another`, {
        headers: { 'Retry-After': '60' },
      });
    }
  }

  get(id: string): LiveStream {
    const live = this.streams.get(id);
    if (live === undefined) throw new HttpError('not_found', `no live stream with id '${id}' (restore it from a snapshot, or create it with POST /api/drift/streams)`, { path: 'params.id' });
    return live;
  }

  delete(id: string): void {
    this.get(id);
    this.streams.delete(id);
  }

  list(): LiveStream[] {
    return [...this.streams.values()];
  }

  /** Remembers detections for the dashboard and status, bounded. */
  static remember(live: LiveStream, events: readonly DriftEventRecord[]): void {
    live.recentDrift.push(...events);
    if (live.recentDrift.length > RECENT_DRIFT_KEPT) live.recentDrift.splice(0, live.recentDrift.length - RECENT_DRIFT_KEPT);
  }
}

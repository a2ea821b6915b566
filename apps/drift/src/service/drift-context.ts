import { dirname, join, resolve } from 'node:path';
import type { Db } from '@moe/db';
import { HttpError } from '@moe/service';
import type { SessionOptions } from './prequential-session.js';
import { StreamRegistry } from './stream-registry.js';

export interface DriftServiceOptions {
  /** Most live learners held at once (16); one more → 429. */
  maxStreams?: number;
  /** Most instances in one predict/learn request (1000); more → 413. */
  maxBatch?: number;
  /**
   * Where snapshot artifacts go (`<dataDir>/drift/snapshots`). Default: `MOE_DATA_DIR`, else the directory
   * of the SQLite database, else `./.data`.
   */
  dataDir?: string;
  session?: SessionOptions;
}

/** What every drift route shares: the live learners, the limits and where artifacts are written. */
export interface DriftContext {
  readonly registry: StreamRegistry;
  readonly maxBatch: number;
  readonly session: SessionOptions;
  snapshotDir(db: Db): string;
}

export function createDriftContext(options: DriftServiceOptions = {}): DriftContext {
  const maxBatch = options.maxBatch ?? 1000;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch: expected a positive integer, got ${maxBatch}`);
  return {
    registry: new StreamRegistry(options.maxStreams ?? 16),
    maxBatch,
    session: options.session ?? {},
    snapshotDir(db) {
      const sqlite = db.location.startsWith('sqlite:') ? dirname(db.location.slice('sqlite:'.length)) : undefined;
      const base = options.dataDir ?? (process.env.MOE_DATA_DIR || undefined) ?? sqlite ?? resolve('.data');
      return join(base, 'drift', 'snapshots');
    },
  };
}

/** The database, or 503 naming what needs it (the service may run without one). */
export function requireDb(db: Db | undefined, what: string): Db {
  if (db === undefined) throw new HttpError('unavailable', `${what} needs the database, and this service runs without one`);
  return db;
}

/** 413 for a batch above the bound, naming the field and the bound. */
export function checkBatchSize(field: string, count: number, max: number): void {
  if (count > max) throw new HttpError('payload_too_large', `${field}: at most ${max} instances per request, got ${count}; split the batch`, { path: field });
}

import { randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { registerModelVersion, type Db, type ModelVersion } from '@moe/db';
import { HttpError } from '@moe/service';
import { sha256Hex, writeFileAtomically } from './atomic-file.js';
import { DRIFT_APP } from './drift-event-writer.js';
import type { PrequentialSession, SessionState } from './prequential-session.js';
import { schemaToJson } from './schema-input.js';
import { decodeState, encodeState } from './state-codec.js';

export interface SnapshotInfo {
  snapshotId: number;
  stream: string;
  version: number;
  method: string;
  sha256: string;
  /** Artifact size (given when the file was just written or read). */
  bytes?: number;
  instancesSeen: number;
  createdAt: string;
}

function info(row: ModelVersion, bytes?: number): SnapshotInfo {
  const config = row.config as { method?: unknown } | null;
  const metrics = row.metrics as { instances?: unknown } | null;
  return {
    snapshotId: row.id,
    stream: row.name,
    version: row.version,
    method: typeof config?.method === 'string' ? config.method : 'unknown',
    sha256: row.sha256,
    ...(bytes !== undefined ? { bytes } : {}),
    instancesSeen: typeof metrics?.instances === 'number' ? metrics.instances : 0,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Writes the session's full state to `<dir>/<stream>/<time>-<rand>.json` (atomically) and records it as a
 * model version of app `drift`, name `<stream>`, with the file's sha256.
 */
export async function saveSnapshot(db: Db, dir: string, stream: string, session: PrequentialSession): Promise<SnapshotInfo> {
  const bytes = new TextEncoder().encode(encodeState(session.getState()));
  const sha256 = sha256Hex(bytes);
  const path = join(dir, stream, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.json`);
  await writeFileAtomically(path, bytes);
  const { cumulative, window } = session.metrics();
  try {
    const row = await registerModelVersion(db, {
      app: DRIFT_APP,
      name: stream,
      config: { format: 'drift-session/1', method: session.method, schema: schemaToJson(session.schema) },
      metrics: { instances: session.seen, accuracy: session.seen > 0 ? session.correct / session.seen : 0, windowAccuracy: window.accuracy, kappa: cumulative.kappa, driftDetections: session.learner.stats().driftDetections },
      artifactPath: path,
      sha256,
    });
    return info(row, bytes.length);
  } catch (e) {
    // No row points at the file: remove it rather than leave an orphan behind.
    await unlink(path).catch(() => undefined);
    throw e;
  }
}

/** Reads a snapshot back, refusing it when the row is not a drift snapshot or the file fails its checksum. */
export async function loadSnapshot(db: Db, snapshotId: number): Promise<{ info: SnapshotInfo; state: SessionState }> {
  const row = await db.client.modelVersion.findUnique({ where: { id: snapshotId } });
  if (row === null || row.app !== DRIFT_APP) throw new HttpError('not_found', `no drift snapshot with id ${snapshotId}`, { path: 'body.snapshotId' });
  let bytes: Buffer;
  try {
    bytes = await readFile(row.artifactPath);
  } catch (e) {
    throw new HttpError('conflict', `snapshot ${snapshotId}: its artifact file ${row.artifactPath} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { path: 'body.snapshotId' });
  }
  const actual = sha256Hex(bytes);
  if (actual !== row.sha256) {
    throw new HttpError('conflict', `snapshot ${snapshotId}: artifact ${row.artifactPath} fails its checksum (sha256 expected ${row.sha256}, got ${actual}); refusing to load it`, { path: 'body.snapshotId' });
  }
  let state: SessionState;
  try {
    state = decodeState(bytes.toString('utf8')) as SessionState;
  } catch (e) {
    throw new HttpError('conflict', `snapshot ${snapshotId}: artifact is not valid JSON (${(e as Error).message})`, { path: 'body.snapshotId' });
  }
  return { info: info(row, bytes.length), state };
}

export async function listSnapshots(db: Db, stream: string): Promise<SnapshotInfo[]> {
  const rows = await db.client.modelVersion.findMany({ where: { app: DRIFT_APP, name: stream }, orderBy: { version: 'desc' }, take: 100 });
  return rows.map((r) => info(r));
}

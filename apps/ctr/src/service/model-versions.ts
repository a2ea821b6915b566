import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registerModelVersion, type Db, type ModelVersion, type Prisma } from '@moe/db';
import { loadCtrArtifact, saveCtrArtifact, type CtrArtifact } from '../artifact/model-artifact.js';

export const CTR_APP = 'ctr';

/**
 * The sha256 the registry records for an artefact directory: the hash of its manifest, which itself lists
 * the sha256 of every data file (checked by the checkpoint loader), so it pins the whole artefact.
 */
export async function artifactSha256(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, 'manifest.json'))).digest('hex');
}

/** Loads a registered version's artefact after checking it is the one registered (sha256); throws naming the mismatch. */
export async function loadRegisteredArtifact(row: Pick<ModelVersion, 'id' | 'artifactPath' | 'sha256'>): Promise<CtrArtifact> {
  let actual: string;
  try {
    actual = await artifactSha256(row.artifactPath);
  } catch (e) {
    throw new Error(`model version ${row.id}: artefact ${row.artifactPath} cannot be read (${(e as Error).message})`, { cause: e });
  }
  if (actual !== row.sha256) throw new Error(`model version ${row.id}: artefact ${row.artifactPath} has sha256 ${actual}, the registry expects ${row.sha256} (changed or corrupt; refusing it)`);
  return loadCtrArtifact(row.artifactPath);
}

/** `12` (registry id) or `mmoe@3` (model name and its version number). */
export type VersionRef = { id: number } | { name: string; version: number };

/** Registry ids and version numbers are 32-bit integers (PostgreSQL `integer`): a larger one cannot exist, and would fail the query. */
export const MAX_REGISTRY_INT = 2_147_483_647;

export function parseVersionRef(text: string): VersionRef | undefined {
  if (/^[1-9]\d{0,9}$/.test(text)) return Number(text) <= MAX_REGISTRY_INT ? { id: Number(text) } : undefined;
  const m = /^([a-z][a-z0-9-]{0,31})@([1-9]\d{0,9})$/.exec(text);
  return m && Number(m[2]) <= MAX_REGISTRY_INT ? { name: m[1], version: Number(m[2]) } : undefined;
}

export async function findVersion(db: Db, ref: VersionRef): Promise<ModelVersion | null> {
  const where = 'id' in ref ? { id: ref.id } : { app_name_version: { app: CTR_APP, name: ref.name, version: ref.version } };
  const row = await db.client.modelVersion.findUnique({ where });
  return row && row.app === CTR_APP ? row : null;
}

/** Saves an artefact and registers it as a new version of `name`. */
export async function saveAndRegister(db: Db, input: { dir: string; name: string; artifact: CtrArtifact; metrics: Prisma.InputJsonValue }): Promise<ModelVersion> {
  await saveCtrArtifact(input.dir, input.artifact);
  return registerModelVersion(db, {
    app: CTR_APP,
    name: input.name,
    config: JSON.parse(JSON.stringify({ model: input.artifact.model.config, features: input.artifact.processor.config })) as Prisma.InputJsonValue,
    metrics: input.metrics,
    artifactPath: input.dir,
    sha256: await artifactSha256(input.dir),
    status: 'staging',
  });
}

import type { Db } from './client.js';
import { DbError, isUniqueViolation } from './errors.js';
import type { ModelVersion, Prisma } from './generated/sqlite/client.js';

/** Every status a model version can have. */
export const MODEL_STATUSES = ['staging', 'production', 'archived', 'failed'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export interface RegisterModelVersionInput {
  readonly app: string;
  readonly name: string;
  readonly config: Prisma.InputJsonValue;
  readonly metrics: Prisma.InputJsonValue;
  readonly artifactPath: string;
  readonly sha256: string;
  readonly status?: ModelStatus;
}

/** Retries when two processes register a version of the same model at once and collide on the number. */
const MAX_VERSION_RACES = 5;

/**
 * Records a new version of model `app/name`, numbered one past the highest existing version.
 *
 * @example
 * const v = await registerModelVersion(db, { app: 'ctr', name: 'mmoe', config, metrics: { auc: 0.71 }, artifactPath, sha256 });
 */
export async function registerModelVersion(db: Db, input: RegisterModelVersionInput): Promise<ModelVersion> {
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) throw new DbError('invalid_argument', `registerModelVersion(): 'sha256' must be 64 lowercase hex characters; got '${input.sha256}'`);
  const status = input.status ?? 'staging';
  if (!MODEL_STATUSES.includes(status)) throw new DbError('invalid_argument', `registerModelVersion(): 'status' must be one of ${MODEL_STATUSES.join(', ')}; got '${String(status)}'`);
  for (let attempt = 0; ; attempt++) {
    const last = await db.client.modelVersion.findFirst({ where: { app: input.app, name: input.name }, orderBy: { version: 'desc' }, select: { version: true } });
    try {
      return await db.client.modelVersion.create({ data: { ...input, status, version: (last?.version ?? 0) + 1 } });
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= MAX_VERSION_RACES) throw err;
    }
  }
}

/** Versions of an app's models, newest first. */
export async function listModelVersions(db: Db, app: string, options: { name?: string; take?: number } = {}): Promise<ModelVersion[]> {
  return db.client.modelVersion.findMany({
    where: { app, ...(options.name !== undefined ? { name: options.name } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: options.take ?? 50,
  });
}

/** Changes a version's status; promoting one to production archives the app/name's previous production one. */
export async function setModelStatus(db: Db, id: number, status: ModelStatus): Promise<ModelVersion> {
  if (!MODEL_STATUSES.includes(status)) throw new DbError('invalid_argument', `setModelStatus(): 'status' must be one of ${MODEL_STATUSES.join(', ')}; got '${String(status)}'`);
  return db.client.$transaction(async (tx) => {
    const row = await tx.modelVersion.findUnique({ where: { id } });
    if (row === null) throw new DbError('not_found', `setModelStatus(): no model version with id ${id}`);
    if (status === 'production') {
      await tx.modelVersion.updateMany({ where: { app: row.app, name: row.name, status: 'production', NOT: { id } }, data: { status: 'archived' } });
    }
    return tx.modelVersion.update({ where: { id }, data: { status } });
  });
}

import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './client.js';
import type { ApiKey } from './generated/sqlite/client.js';
import { DbError } from './errors.js';

/** Every key starts with this, so a leaked key is recognisable (and greppable) as ours. */
export const API_KEY_PREFIX = 'moe_';

/** A newly created key: `secret` is shown once and never stored; only its SHA-256 is. */
export interface CreatedApiKey {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  readonly secret: string;
  readonly scopes: readonly string[];
}

/**
 * SHA-256 of a key, hex. A plain fast hash is enough here (unlike passwords): secrets are 32 random bytes,
 * so there is nothing to brute-force, and verification must stay cheap on every mutating request.
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Creates an API key with the given scopes (empty: every scope) and returns its secret.
 *
 * @example
 * const { secret } = await createApiKey(db, { name: 'ci', scopes: ['ctr:train'] });
 */
export async function createApiKey(db: Db, options: { name: string; scopes?: readonly string[] }): Promise<CreatedApiKey> {
  if (options.name.trim().length === 0) throw new DbError('invalid_argument', "createApiKey(): 'name' must be a non-empty string; got ''");
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const prefix = secret.slice(0, API_KEY_PREFIX.length + 6);
  const scopes = [...(options.scopes ?? [])];
  const row = await db.client.apiKey.create({ data: { name: options.name, prefix, hash: hashApiKey(secret), scopes } });
  return { id: row.id, name: row.name, prefix, secret, scopes };
}

/** The stored key matching `secret`, or null when there is none or it was revoked. */
export async function findApiKey(db: Db, secret: string): Promise<ApiKey | null> {
  const row = await db.client.apiKey.findUnique({ where: { hash: hashApiKey(secret) } });
  return row !== null && row.revokedAt === null ? row : null;
}

/** The scopes a stored key grants; `[]` means all. Malformed stored values grant nothing but '-'. */
export function apiKeyScopes(key: ApiKey): string[] {
  return Array.isArray(key.scopes) ? key.scopes.filter((s): s is string => typeof s === 'string') : ['-'];
}

/** Marks `lastUsedAt` now; callers throttle this so that reads do not turn into a write per request. */
export async function touchApiKey(db: Db, id: number): Promise<void> {
  await db.client.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
}

/** Revokes an active key (it stops validating); throws DbError `not_found` when no active key has this id. */
export async function revokeApiKey(db: Db, id: number): Promise<void> {
  const r = await db.client.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (r.count === 0) throw new DbError('not_found', `revokeApiKey(): no active API key with id ${id}`);
}

/** How many keys are not revoked. */
export async function countActiveApiKeys(db: Db): Promise<number> {
  return db.client.apiKey.count({ where: { revokedAt: null } });
}

import { apiKeyScopes, findApiKey, hashApiKey, touchApiKey, type Db } from '@moe/db';
import type { AuthenticatedKey } from './route.js';

/** Checks a presented API key; null when it is unknown or revoked. */
export interface ApiKeyVerifier {
  verify(secret: string): Promise<AuthenticatedKey | null>;
}

/** Longest key accepted for lookup: longer strings are refused before hashing (they cannot be ours). */
export const MAX_API_KEY_LENGTH = 256;

interface CacheEntry { readonly key: AuthenticatedKey | null; readonly until: number }

/**
 * Keys checked against the hashed keys in the database, with a short cache so that verification is not a
 * query per request. Revocation therefore takes effect within `cacheTtlMs`. Unknown keys are cached too
 * (bounded), so a client retrying a bad key cannot turn each request into a database lookup.
 */
export function dbApiKeyVerifier(db: Db, options: { cacheTtlMs?: number; maxCacheEntries?: number } = {}): ApiKeyVerifier {
  const ttl = options.cacheTtlMs ?? 30_000;
  const max = options.maxCacheEntries ?? 10_000;
  const cache = new Map<string, CacheEntry>();
  return {
    async verify(secret) {
      if (secret.length === 0 || secret.length > MAX_API_KEY_LENGTH) return null;
      const h = hashApiKey(secret);
      const now = Date.now();
      const hit = cache.get(h);
      if (hit !== undefined && hit.until > now) return hit.key;
      const row = await findApiKey(db, secret);
      const key: AuthenticatedKey | null = row === null ? null : { id: row.id, name: row.name, prefix: row.prefix, scopes: apiKeyScopes(row) };
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(h, { key, until: now + ttl });
      // lastUsedAt is advisory: refreshed once per cache period, never awaited by the request.
      if (row !== null) touchApiKey(db, row.id).catch(() => undefined);
      return key;
    },
  };
}

/** Keys given in configuration (e.g. from the environment) rather than the database; compared by hash. */
export function staticApiKeyVerifier(keys: readonly { name: string; secret: string; scopes?: readonly string[] }[]): ApiKeyVerifier {
  const byHash = new Map(keys.map((k) => [hashApiKey(k.secret), { id: k.name, name: k.name, prefix: k.secret.slice(0, 10), scopes: [...(k.scopes ?? [])] }]));
  return {
    async verify(secret) {
      if (secret.length === 0 || secret.length > MAX_API_KEY_LENGTH) return null;
      return byHash.get(hashApiKey(secret)) ?? null;
    },
  };
}

/** The key in `X-API-Key`, or in `Authorization: Bearer <key>`; undefined when neither is sent. */
export function presentedApiKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct.length > 0) return direct.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  return undefined;
}

/** True when `key` grants `scope`: keys without scopes grant everything. */
export function keyGrants(key: AuthenticatedKey, scope: string | undefined): boolean {
  return scope === undefined || key.scopes.length === 0 || key.scopes.includes(scope);
}

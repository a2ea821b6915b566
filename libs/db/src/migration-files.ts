import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbProvider } from './config.js';
import { DbError } from './errors.js';

/** One committed migration: `prisma/<provider>/migrations/<name>/migration.sql`. */
export interface MigrationFile {
  /** Directory name, e.g. `20261123120000_init`; migrations apply in name order. */
  readonly name: string;
  readonly sql: string;
  /** Hex SHA-256 of the file's bytes, as `prisma migrate deploy` records it. */
  readonly checksum: string;
}

/** `libs/db/prisma`, found from this file's place (src/ or dist/ alike). */
const prismaDir = fileURLToPath(new URL('../prisma/', import.meta.url));

/** The committed migrations folder of a provider (`libs/db/prisma/<provider>/migrations`). */
export function migrationsDir(provider: DbProvider): string {
  return join(prismaDir, provider, 'migrations');
}

/** The committed migrations for `provider`, in the order they apply. */
export function loadMigrations(provider: DbProvider, dir: string = migrationsDir(provider)): MigrationFile[] {
  if (!existsSync(dir)) throw new DbError('migration_failed', `migrations directory for ${provider} not found at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

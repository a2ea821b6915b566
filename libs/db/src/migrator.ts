import type { DbProvider } from './config.js';
import { DbError } from './errors.js';
import type { MigrationFile } from './migration-files.js';

/** A row of `_prisma_migrations` (the columns this migrator reads). */
export interface AppliedMigration {
  readonly migrationName: string;
  readonly checksum: string;
  readonly finished: boolean;
  readonly rolledBack: boolean;
}

/**
 * What the migrator needs from a database connection. Implemented over the raw drivers (better-sqlite3, pg)
 * rather than Prisma, because migration scripts hold many statements and Prisma's raw queries run one.
 */
export interface MigrationTarget {
  readonly provider: DbProvider;
  /** Runs `fn` while holding a lock that keeps other processes from migrating at the same time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Creates `_prisma_migrations` if missing, in the layout `prisma migrate deploy` uses. */
  ensureMigrationsTable(): Promise<void>;
  appliedMigrations(): Promise<AppliedMigration[]>;
  /** Runs the migration's script and records it, atomically: both happen or neither. */
  applyAndRecord(migration: MigrationFile): Promise<void>;
  close(): Promise<void>;
}

export interface MigrationResult {
  /** Names of the migrations applied by this call (empty when the database was up to date). */
  readonly applied: string[];
  /** Names already applied before this call. */
  readonly existing: string[];
}

/**
 * Applies every committed migration that the database lacks, in name order. Refuses to start when an
 * applied migration's file changed since (checksum), when the database records a migration this code does
 * not know (it is newer than the code), or when an earlier migration failed half-way.
 */
export async function applyMigrations(target: MigrationTarget, migrations: readonly MigrationFile[]): Promise<MigrationResult> {
  return target.exclusive(async () => {
    await target.ensureMigrationsTable();
    const rows = (await target.appliedMigrations()).filter((r) => !r.rolledBack);
    const known = new Map(migrations.map((m) => [m.name, m]));
    for (const row of rows) {
      if (!row.finished) {
        throw new DbError('migration_failed', `migration '${row.migrationName}' started but did not finish on this ${target.provider} database; fix it by hand, then mark it rolled back (prisma migrate resolve)`);
      }
      const file = known.get(row.migrationName);
      if (file === undefined) {
        throw new DbError('migration_unknown', `the ${target.provider} database has migration '${row.migrationName}', which this code does not have; it was migrated by a newer version`);
      }
      if (file.checksum !== row.checksum) {
        throw new DbError('migration_modified', `migration '${row.migrationName}' was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); add a new migration instead of editing an applied one`);
      }
    }
    const done = new Set(rows.map((r) => r.migrationName));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      try {
        await target.applyAndRecord(m);
      } catch (err) {
        throw new DbError('migration_failed', `migration '${m.name}' failed on ${target.provider}: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    return { applied, existing: [...done] };
  });
}

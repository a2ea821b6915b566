import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { AppliedMigration, MigrationTarget } from './migrator.js';

/** How long an SQLite connection waits for another process's write lock before failing (ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** Opens the file (creating it) in WAL mode, so readers in other processes are not blocked by a writer. */
export function openSqliteFile(file: string): Database.Database {
  const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return db;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

/**
 * Migrates an SQLite file. The whole run is one IMMEDIATE transaction (SQLite's write lock), which is also
 * what keeps two processes starting together from migrating twice; each migration runs in a savepoint.
 */
export function sqliteMigrationTarget(file: string): MigrationTarget {
  const db = openSqliteFile(file);
  return {
    provider: 'sqlite',
    async exclusive(fn) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn();
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    async ensureMigrationsTable() {
      db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`);
    },
    async appliedMigrations(): Promise<AppliedMigration[]> {
      const rows = db.prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at').all() as MigrationRow[];
      return rows.map((r) => ({ migrationName: r.migration_name, checksum: r.checksum, finished: r.finished_at !== null, rolledBack: r.rolled_back_at !== null }));
    },
    async applyAndRecord(m) {
      db.exec('SAVEPOINT moe_migration');
      try {
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
        ).run(randomUUID(), m.checksum, m.name);
        db.exec('RELEASE moe_migration');
      } catch (err) {
        db.exec('ROLLBACK TO moe_migration');
        db.exec('RELEASE moe_migration');
        throw err;
      }
    },
    async close() {
      db.close();
    },
  };
}

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AppliedMigration, MigrationTarget } from './migrator.js';

/** The advisory-lock key `prisma migrate` itself takes, so our start-up and the Prisma CLI exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Migrates a PostgreSQL database over one pg connection; each migration is its own transaction. */
export async function postgresMigrationTarget(url: string): Promise<MigrationTarget> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    provider: 'postgresql',
    async exclusive(fn) {
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      }
    },
    async ensureMigrationsTable() {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`);
    },
    async appliedMigrations(): Promise<AppliedMigration[]> {
      const { rows } = await client.query<MigrationRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at');
      return rows.map((r) => ({ migrationName: r.migration_name, checksum: r.checksum, finished: r.finished_at !== null, rolledBack: r.rolled_back_at !== null }));
    },
    async applyAndRecord(m) {
      await client.query('BEGIN');
      try {
        // A script with several statements runs through the simple-query protocol (no parameters).
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    },
    async close() {
      await client.end();
    },
  };
}

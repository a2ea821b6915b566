import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client.js';
import { describeDbConfig, resolveDbConfig, type DbConfig, type DbProvider, type ResolveDbConfigOptions } from './config.js';
import { loadMigrations } from './migration-files.js';
import { applyMigrations, type MigrationResult } from './migrator.js';
import { sqliteMigrationTarget, openSqliteFile, SQLITE_BUSY_TIMEOUT_MS } from './migration-target-sqlite.js';
import { postgresMigrationTarget } from './migration-target-postgres.js';

/**
 * The typed Prisma client every consumer uses. Both providers are generated from one models file, so their
 * model delegates are identical; the SQLite client's type is the common denominator (PostgreSQL's adds
 * only provider-specific options such as case-insensitive `mode`), and the PostgreSQL client is typed as it.
 */
export type DbClient = SqlitePrismaClient;

/** An open database: the Prisma client plus what the platform needs around it. */
export interface Db {
  readonly client: DbClient;
  readonly provider: DbProvider;
  /** Where it points, without any password: `sqlite:/path/moe.db` or `postgresql://user:***@host/db`. */
  readonly location: string;
  /** What start-up migration did (`applied` empty when up to date; both empty with `migrate: false`). */
  readonly migrations: MigrationResult;
  /** Resolves when the database answers a trivial query; rejects otherwise (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDbOptions extends ResolveDbConfigOptions {
  /** An explicit config; otherwise resolved from `url`/`dataDir`/`env` (see resolveDbConfig). */
  readonly config?: DbConfig;
  /** Apply committed migrations before returning (default true). */
  readonly migrate?: boolean;
}

/**
 * Opens the platform database, creating the SQLite file and its directory on first use, and applies the
 * committed migrations (recorded in `_prisma_migrations`, as `prisma migrate deploy` does).
 *
 * @example
 * const db = await openDb();                       // <repo>/.data/moe.db, or DATABASE_URL / MOE_DATA_DIR
 * await db.client.modelVersion.findMany({ where: { app: 'ctr' } });
 * await db.close();
 */
export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  const config = options.config ?? resolveDbConfig(options);
  const migrate = options.migrate ?? true;
  let migrations: MigrationResult = { applied: [], existing: [] };
  if (config.provider === 'sqlite') {
    mkdirSync(dirname(config.file), { recursive: true });
    if (migrate) {
      const target = sqliteMigrationTarget(config.file);
      try { migrations = await applyMigrations(target, loadMigrations('sqlite')); } finally { await target.close(); }
    } else {
      // Still switch a new file to WAL so later writers from other processes do not block readers.
      openSqliteFile(config.file).close();
    }
    const client = new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${config.file}`, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
    return wrap(client, config, migrations);
  }
  if (migrate) {
    const target = await postgresMigrationTarget(config.url);
    try { migrations = await applyMigrations(target, loadMigrations('postgresql')); } finally { await target.close(); }
  }
  const pgClient = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: config.url }) });
  // Same models, same delegates (see DbClient); the cast only drops PostgreSQL-only filter options.
  return wrap(pgClient as unknown as DbClient, config, migrations);
}

function wrap(client: DbClient, config: DbConfig, migrations: MigrationResult): Db {
  return {
    client,
    provider: config.provider,
    location: describeDbConfig(config),
    migrations,
    async ping() {
      await client.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      await client.$disconnect();
    },
  };
}

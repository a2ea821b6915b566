import { dirname, join } from 'node:path';
import { pino, type Logger } from 'pino';
import { openDb, resolveDbConfig, type Db } from '@moe/db';
import { createService, createServiceMetrics, ensureDevApiKey, type Service, type ServiceLimits } from '@moe/service';
import { registeredApps, type RegisteredApp } from './apps.js';
import { loadApps, type AppAvailability } from './load-apps.js';
import { mountDashboard } from './static-files.js';
import { createSuiteModule } from './suite-module.js';

export interface SuiteOptions {
  readonly port?: number;
  readonly host?: string;
  /** Directory for the SQLite file and the dev key (default: MOE_DATA_DIR or <repo>/.data). */
  readonly dataDir?: string;
  readonly db?: Db;
  readonly apps?: readonly RegisteredApp[];
  readonly logger?: Logger;
  readonly limits?: Partial<ServiceLimits>;
  /** Fail start-up when an app's module throws while loading (default false: its panel shows the error). */
  readonly strictApps?: boolean;
}

export interface Suite {
  readonly url: string;
  readonly port: number;
  readonly db: Db;
  readonly service: Service;
  readonly apps: readonly AppAvailability[];
  /** Drains requests, stops the apps, closes the database (if the suite opened it). */
  close(): Promise<void>;
}

/**
 * Starts the whole suite in this process: opens the database (applying migrations), loads the registered
 * apps, mounts their routes under /api/<app>, serves the dashboard at / and listens.
 */
export async function startSuite(options: SuiteOptions = {}): Promise<Suite> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const config = resolveDbConfig(options.dataDir !== undefined ? { dataDir: options.dataDir } : {});
  const db = options.db ?? (await openDb({ config }));
  logger.info({ database: db.location, migrationsApplied: db.migrations.applied }, 'database ready');
  // With the embedded database the dev key is also saved beside it, so it can be found again later.
  const keyFile = options.db === undefined && config.provider === 'sqlite' ? join(dirname(config.file), 'dev-api-key.txt') : undefined;
  await ensureDevApiKey(db, { logger, ...(keyFile !== undefined ? { file: keyFile } : {}) });
  const apps = await loadApps(options.apps ?? registeredApps, logger, { strict: options.strictApps ?? false });
  for (const a of apps) if (a.state !== 'available') logger.info({ app: a.name, state: a.state, reason: a.reason }, 'app not mounted');
  const metrics = createServiceMetrics();
  const modules = apps.flatMap((a) => (a.state === 'available' ? [a.module] : []));
  const service = createService({
    apps: [createSuiteModule({ apps, db, metrics }), ...modules],
    db,
    logger,
    metrics,
    title: 'MoE suite',
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    mount: mountDashboard,
  });
  let bound: { port: number; url: string };
  try {
    bound = await service.listen({ port: options.port ?? 3000, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    // Apps may already have started (background training, timers): stop them and the database we opened.
    await service.close().catch((e: unknown) => logger.error({ err: e }, 'stopping the apps after a failed start failed'));
    if (options.db === undefined) await db.close().catch(() => undefined);
    throw err;
  }
  const { port, url } = bound;
  return {
    url,
    port,
    db,
    service,
    apps,
    async close() {
      await service.close();
      if (options.db === undefined) await db.close();
    },
  };
}

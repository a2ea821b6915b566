import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbError } from './errors.js';

/** Which database to open: an SQLite file (the embedded default) or a PostgreSQL server. */
export type DbConfig =
  | { readonly provider: 'sqlite'; readonly file: string }
  | { readonly provider: 'postgresql'; readonly url: string };

export type DbProvider = DbConfig['provider'];

/** The repository root, found from this file's place (libs/db/src or libs/db/dist). */
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/** Default SQLite file name inside the data directory. */
export const DEFAULT_SQLITE_FILE = 'moe.db';

export interface ResolveDbConfigOptions {
  /** Connection URL; overrides `env.DATABASE_URL`. `postgres://…`/`postgresql://…` or `file:<path>`. */
  readonly url?: string;
  /** Directory for the SQLite file; overrides `env.MOE_DATA_DIR` (default `<repo>/.data`). */
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Decides which database to use, from explicit options first, then `DATABASE_URL` and `MOE_DATA_DIR`.
 * PostgreSQL when the URL starts with `postgres`; an SQLite file when it starts with `file:`; otherwise
 * `<dataDir>/moe.db`.
 *
 * @example
 * resolveDbConfig({ env: { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/moe' } }) // → { provider: 'postgresql', url }
 * resolveDbConfig({ dataDir: '/tmp/x' }) // → { provider: 'sqlite', file: '/tmp/x/moe.db' }
 */
export function resolveDbConfig(options: ResolveDbConfigOptions = {}): DbConfig {
  const env = options.env ?? process.env;
  const url = options.url ?? (env.DATABASE_URL || undefined);
  if (url !== undefined) {
    if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
    if (url.startsWith('file:')) {
      const path = url.slice('file:'.length);
      if (path.length === 0) throw new DbError('invalid_config', `DATABASE_URL 'file:' must name a file, e.g. file:./.data/moe.db; got '${url}'`);
      return { provider: 'sqlite', file: isAbsolute(path) ? path : resolve(path) };
    }
    throw new DbError(
      'invalid_config',
      `DATABASE_URL must start with 'postgres://', 'postgresql://' or 'file:'; got '${redactUrl(url)}'`,
    );
  }
  const dataDir = options.dataDir ?? (env.MOE_DATA_DIR || join(repoRoot, '.data'));
  return { provider: 'sqlite', file: join(resolve(dataDir), DEFAULT_SQLITE_FILE) };
}

/** The URL with any password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/** Where a config points, safe to log. */
export function describeDbConfig(config: DbConfig): string {
  return config.provider === 'sqlite' ? `sqlite:${config.file}` : redactUrl(config.url);
}

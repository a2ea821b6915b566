import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A throw-away PostgreSQL server in a temp directory, for tests and local experiments. */
export interface PostgresServer {
  readonly port: number;
  /** URL of the server's `postgres` database. */
  readonly adminUrl: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (immediate shutdown) and deletes its directory. */
  stop(): void;
}

/** `/usr/lib/postgresql/<newest>/bin`, or null when the Debian `postgresql` package is not installed. */
export function findPostgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts PostgreSQL with initdb + pg_ctl on a free loopback port. PostgreSQL refuses to run as root, so as
 * root the data directory is handed to the `postgres` user (or `nobody`) and the tools run through runuser.
 * Throws, naming the Debian package, when the binaries are missing.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (bin === null) throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql: install the Debian package 'postgresql' (apt-get install postgresql)");
  const dir = mkdtempSync(join(tmpdir(), 'moe-pg-'));
  const data = join(dir, 'data');
  const isRoot = process.getuid?.() === 0;
  const user = isRoot ? (spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody') : null;
  if (user !== null) {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]): void => {
    const [cmd, argv] = user === null ? [join(bin, tool), args] : ['runuser', ['-u', user, '--', join(bin, tool), ...args]];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
      throw new Error(`${tool} failed (exit ${r.status}): ${r.stderr || r.stdout}${log ? `\nserver log:\n${log}` : ''}`);
    }
  };
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'moe', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    // fsync off and the socket in our own directory: a test server, never a real one.
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const adminUrl = `postgresql://moe@127.0.0.1:${port}/postgres`;
  return {
    port,
    adminUrl,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name must match [a-z_][a-z0-9_]*; got '${name}'`);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
      return `postgresql://moe@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

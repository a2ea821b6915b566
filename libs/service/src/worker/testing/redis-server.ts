import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway redis-server on a loopback port, with no persistence, in its own temporary directory. */
export interface RedisTestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** The executable. Default `$MOE_REDIS_SERVER` or `redis-server` on PATH. */
  binary?: string;
  /** How long to wait for "Ready to accept connections". Default 10 s. */
  startTimeoutMs?: number;
}

/**
 * Starts `redis-server --port N --save '' --appendonly no --dir <tmp>` on a free loopback port and resolves once
 * it accepts connections. A missing binary fails with the Debian package to install.
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisTestServer> {
  const binary = options.binary ?? process.env.MOE_REDIS_SERVER ?? 'redis-server';
  // Another process may take the free port between our probe and redis binding it: try a few ports.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'moe-redis-'));
    const port = await freePort();
    try {
      const child = await launch(binary, port, dir, options.startTimeoutMs ?? 10_000);
      return {
        host: '127.0.0.1',
        port,
        url: `redis://127.0.0.1:${port}`,
        dir,
        stop: async () => {
          await terminate(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`redis-server not found (tried ${JSON.stringify(binary)}): install the Debian package redis-server (apt-get install redis-server) or set MOE_REDIS_SERVER to its path`);
      }
      lastError = error;
    }
  }
  throw lastError;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

function launch(binary: string, port: number, dir: string, timeoutMs: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} not ready after ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        // Keep draining so a full pipe never blocks the server.
        child.stdout?.removeListener('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited (code ${code}, signal ${signal}) before it was ready; output:\n${output}`));
    });
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

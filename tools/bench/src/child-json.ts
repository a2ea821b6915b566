import { spawn } from 'node:child_process';
import { repoRoot } from './report.js';

/**
 * Runs `node --conditions=@moe/source --import tsx <script> ...args` in its own process (benchmark cells run
 * apart so that two can use both cores and a crash cannot take the suite down) and parses the JSON it prints
 * on stdout. Rejects with the tail of stderr when the child fails.
 */
export function runJsonChild<T>(script: string, args: readonly string[], what: string): Promise<T> {
  return runJsonCommand<T>(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', script, ...args], what);
}

/** Runs any command (e.g. a script in another language) from this checkout's root and parses the JSON it prints. */
export function runJsonCommand<T>(command: string, args: readonly string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${what} exited ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch (e) {
        reject(new Error(`${what} printed no JSON result: ${(e as Error).message}; stdout ${out.slice(-500)}`));
      }
    });
  });
}

/** Where and how `runLoggedChild` starts its process. */
export interface LoggedChildOptions {
  /** Working directory (default: this checkout's root). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Stderr lines that start with this prefix are passed to `log` without it (the child's progress lines). */
  prefix: string;
}

/**
 * Runs `node --conditions=@moe/source --import tsx <script> ...args` with stdout passed through, forwarding the
 * child's prefixed stderr lines to `log`; rejects with the tail of stderr when it exits non-zero.
 */
export function runLoggedChild(script: string, args: readonly string[], options: LoggedChildOptions, log: (m: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', script, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.startsWith(options.prefix)) log(line.slice(options.prefix.length).trimStart());
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${tail}`))));
  });
}

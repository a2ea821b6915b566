import { spawn } from 'node:child_process';
import { repoRoot } from './report.js';

/**
 * Runs `node --conditions=@moe/source --import tsx <script> ...args` in its own process (benchmark cells run
 * apart so that two can use both cores and a crash cannot take the suite down) and parses the JSON it prints
 * on stdout. Rejects with the tail of stderr when the child fails.
 */
export function runJsonChild<T>(script: string, args: readonly string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
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

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A service running in a child process, announced by a JSON line `{ready: true, url}` on its stdout. */
export interface ChildService {
  readonly url: string;
  /** The whole ready line (services may announce more, e.g. an API key). */
  readonly ready: Readonly<Record<string, unknown>>;
  readonly process: ChildProcess;
  /** Everything the child wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM (graceful), then SIGKILL after `graceMs`; resolves with the exit code (null if killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs `node --conditions=@moe/source --import tsx <script> ...args` and waits for its ready line, so tests
 * and benchmarks measure a real service in its own process (a crash there cannot hide in the caller).
 */
export async function startChildService(script: string, options: { args?: readonly string[]; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ChildService> {
  const child = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Nobody gets a handle on a child that never became ready: kill it rather than leave it running.
      child.kill('SIGKILL');
      reject(new Error(`${script} did not report ready within ${options.timeoutMs ?? 60_000} ms; stderr:\n${err}`));
    }, options.timeoutMs ?? 60_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.ready === true && typeof msg.url === 'string') {
          clearTimeout(timer);
          resolve(msg);
        }
      } catch {
        // Not our line (a log line that happens to start with '{'): keep waiting.
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (code ${code}) before it was ready; stderr:\n${err}`));
    });
  });
  return {
    url: ready.url as string,
    ready,
    process: child,
    stderr: () => err,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Resident memory of a service, from its Prometheus `process_resident_memory_bytes`. */
export async function residentMemoryBytes(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const m = /^process_resident_memory_bytes\s+(\S+)$/m.exec(text);
  if (!m) throw new Error(`${baseUrl}/metrics has no process_resident_memory_bytes`);
  return Number(m[1]);
}

import { spawn, type ChildProcess } from 'node:child_process';

/** How many of a child's last stderr lines {@link WorkerChild.stderrTail} keeps. */
const STDERR_TAIL_LINES = 5;

/** A worker process spawned by {@link spawnWorkerChild}, with its commits counted from its stderr log. */
export interface WorkerChild {
  readonly proc: ChildProcess;
  /** How many `"msg":"commit"` lines the child has logged so far. */
  commits: number;
  /** The last stderr lines, to explain a child that exited on its own. */
  stderrTail: string[];
  /** Resolves with the exit code once the process exits (`null` when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Resolves at the child's next commit line (never, if it exits first: race it with {@link exited}). */
  nextCommit(): Promise<void>;
}

/** What {@link spawnWorkerChild} runs. */
export interface SpawnWorkerChildOptions {
  /** The worker's TypeScript entry point (its `main.ts`), run with `tsx` under the `@moe/source` condition. */
  readonly entry: string;
  /** The worker's command-line arguments. */
  readonly args: readonly string[];
  /** Variables set on top of this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Spawns a worker entry point in a fresh Node process (`node --conditions=@moe/source --import tsx <entry>
 * ...args`, stdout ignored, stderr piped) and follows its stderr JSON log (see `createStderrJsonLogger` in
 * `@moe/service`): each `"msg":"commit"` line bumps {@link WorkerChild.commits} and wakes the
 * {@link WorkerChild.nextCommit} waiters. Meant for crash tests that SIGKILL a worker at points that follow its
 * progress rather than wall time. `tsx` is resolved from the current working directory.
 */
export function spawnWorkerChild(options: SpawnWorkerChildOptions): WorkerChild {
  const proc = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', options.entry, ...options.args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const waiters: (() => void)[] = [];
  const child: WorkerChild = {
    proc,
    commits: 0,
    stderrTail: [],
    exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))),
    nextCommit: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
  let buffered = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      child.stderrTail = [...child.stderrTail.slice(-(STDERR_TAIL_LINES - 1)), line];
      if (line.includes('"msg":"commit"')) {
        child.commits++;
        waiters.splice(0).forEach((wake) => wake());
      }
    }
  });
  return child;
}

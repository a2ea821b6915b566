import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { seededRandom } from './seeded-random.js';

export interface KillLoopOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How many times to kill -9 the command. */
  times: number;
  /** Each kill comes a uniformly random time in [minDelayMs, maxDelayMs] after the run became ready. */
  minDelayMs: number;
  maxDelayMs: number;
  /** A run is ready when a line of its output matches this; without it, as soon as it is spawned. */
  readyPattern?: RegExp;
  /** A run not ready within this is killed anyway (the kill then lands during start-up). Default 30 s. */
  readyTimeoutMs?: number;
  /** Runs that may exit by themselves with an error before the loop gives up. Default `times`. */
  maxCrashes?: number;
  /** Pause between a kill and the restart. Default 0. */
  restartDelayMs?: number;
  /** After the last kill: `stop` leaves it dead; `wait` restarts it once more and waits for it to exit. Default `stop`. */
  then?: 'stop' | 'wait';
  /** Seed of the kill schedule. Default random (reported). */
  seed?: number;
  /** Every output line of every run. */
  onOutput?(line: string, run: number): void;
  /** What the loop did, as it happens. */
  onEvent?(event: KillLoopEvent): void;
}

export type KillLoopEvent =
  | { type: 'start'; run: number; pid: number }
  | { type: 'ready'; run: number; afterMs: number }
  | { type: 'kill'; run: number; pid: number; kill: number; afterReadyMs: number }
  | { type: 'exit'; run: number; code: number | null; signal: NodeJS.Signals | null; killedByLoop: boolean };

export interface KillLoopReport {
  seed: number;
  runs: number;
  kills: number;
  /** Runs that ended without being killed by the loop (crashed, or finished their work). */
  unplannedExits: { run: number; code: number | null; signal: NodeJS.Signals | null }[];
  /** Exit code of the final run with `then: 'wait'`. */
  finalExitCode?: number | null;
}

/**
 * Starts a command, kill -9s its whole process group at random moments, restarts it, `times` times. The kill
 * goes to the process group so a worker behind `npm run` or a shell is killed too, not just its wrapper.
 * A run that exits by itself is reported and restarted, up to `maxCrashes` times; one that exits 0 ends the
 * loop, as there is nothing left to interrupt. `stop()` on the returned handle ends the loop and the current run (SIGTERM, graceful).
 */
export function runKillLoop(options: KillLoopOptions): { done: Promise<KillLoopReport>; stop(): void } {
  checkOptions(options);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const report: KillLoopReport = { seed, runs: 0, kills: 0, unplannedExits: [] };
  let current: ChildProcess | undefined;
  let stopped = false;
  const emit = (e: KillLoopEvent): void => options.onEvent?.(e);

  const startRun = (): { child: ChildProcess; ready: Promise<number>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } => {
    const run = ++report.runs;
    const started = Date.now();
    const child = spawn(options.command, options.args ?? [], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    emit({ type: 'start', run, pid: child.pid ?? -1 });
    let markReady: (ms: number) => void = () => {};
    const ready = new Promise<number>((resolve) => (markReady = resolve));
    if (!options.readyPattern) markReady(0);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        options.onOutput?.(line, run);
        if (options.readyPattern?.test(line)) markReady(Date.now() - started);
      });
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    return { child, ready, exited };
  };

  // Runs are detached (their own process group): if this process exits first, take the current one with it.
  const orphanGuard = (): void => {
    if (current && current.exitCode === null && current.signalCode === null) killGroup(current, 'SIGKILL');
  };
  process.on('exit', orphanGuard);

  const done = (async (): Promise<KillLoopReport> => {
    while (report.kills < options.times && !stopped) {
      const run = report.runs + 1;
      const { child, ready, exited } = startRun();
      const readyMs = await Promise.race([ready, exited.then(() => -1), delay(options.readyTimeoutMs ?? 30_000, false).then(() => -2)]);
      if (readyMs >= 0) emit({ type: 'ready', run, afterMs: readyMs });
      const wait = options.minDelayMs + random() * (options.maxDelayMs - options.minDelayMs);
      const outcome = await Promise.race([exited, delay(readyMs === -1 ? 0 : wait).then(() => 'kill' as const)]);
      if (outcome === 'kill' && child.exitCode === null && child.signalCode === null && !stopped) {
        report.kills++;
        emit({ type: 'kill', run, pid: child.pid ?? -1, kill: report.kills, afterReadyMs: Math.round(wait) });
        killGroup(child, 'SIGKILL');
        const { code, signal } = await exited;
        emit({ type: 'exit', run, code, signal, killedByLoop: true });
      } else {
        const { code, signal } = await exited;
        emit({ type: 'exit', run, code, signal, killedByLoop: false });
        if (!stopped) report.unplannedExits.push({ run, code, signal });
        if (code === 0 || report.unplannedExits.length >= (options.maxCrashes ?? options.times)) return report;
      }
      if (options.restartDelayMs) await delay(options.restartDelayMs);
    }
    if ((options.then ?? 'stop') === 'wait' && !stopped) {
      const run = report.runs + 1;
      const { exited } = startRun();
      const { code, signal } = await exited;
      emit({ type: 'exit', run, code, signal, killedByLoop: false });
      report.finalExitCode = code;
    }
    return report;
  })().finally(() => process.off('exit', orphanGuard));

  return {
    done,
    stop() {
      stopped = true;
      if (current && current.exitCode === null && current.signalCode === null) killGroup(current, 'SIGTERM');
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/** `keepAlive: false` for timers that only bound a wait on the child, which keeps the process alive itself. */
function delay(ms: number, keepAlive = true): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!keepAlive) timer.unref();
  });
}

function checkOptions(o: KillLoopOptions): void {
  if (typeof o.command !== 'string' || o.command.length === 0) throw new Error(`kill loop command: expected a command, got ${JSON.stringify(o.command)}`);
  if (!Number.isInteger(o.times) || o.times < 1) throw new Error(`kill loop times: expected a positive integer, got ${o.times}`);
  if (!(o.minDelayMs >= 0) || !(o.maxDelayMs >= o.minDelayMs)) {
    throw new Error(`kill loop delays: expected 0 <= minDelayMs <= maxDelayMs, got ${o.minDelayMs} and ${o.maxDelayMs}`);
  }
  if (o.then !== undefined && o.then !== 'stop' && o.then !== 'wait') throw new Error(`kill loop then: expected "stop" or "wait", got ${JSON.stringify(o.then)}`);
}

/**
 * kill -9 / restart loop for workers.
 *
 *   npm run moe -- tools/faults/src/kill-loop.ts -- --times 10 [--min-ms 200] [--max-ms 2000] [--ready <regex>]
 *     [--then stop|wait] [--seed N] [--restart-delay-ms 0] [--max-crashes N] -- <worker command> [args...]
 *
 * Prints each start, kill and exit, the worker's output prefixed with its run number, and last a JSON summary
 * line `{"killLoop":{...}}`. SIGINT/SIGTERM stop the loop and the current run gracefully (SIGTERM).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runKillLoop, type KillLoopEvent, type KillLoopOptions } from './run-kill-loop.js';

export function parseKillLoopArgs(argv: readonly string[]): KillLoopOptions {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const split = args.indexOf('--');
  if (split < 0 || split === args.length - 1) throw new Error('kill-loop: expected `-- <worker command> [args...]` after the options, got no command');
  const { values } = parseArgs({
    args: args.slice(0, split),
    options: {
      times: { type: 'string' },
      'min-ms': { type: 'string', default: '200' },
      'max-ms': { type: 'string', default: '2000' },
      ready: { type: 'string' },
      then: { type: 'string', default: 'stop' },
      seed: { type: 'string' },
      'restart-delay-ms': { type: 'string', default: '0' },
      'max-crashes': { type: 'string' },
      'ready-timeout-ms': { type: 'string', default: '30000' },
    },
  });
  const int = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (text === undefined || !Number.isInteger(n) || n < 0) throw new Error(`kill-loop --${name}: expected a non-negative integer, got ${JSON.stringify(text)}`);
    return n;
  };
  if (values.then !== 'stop' && values.then !== 'wait') throw new Error(`kill-loop --then: expected "stop" or "wait", got ${JSON.stringify(values.then)}`);
  const [command, ...commandArgs] = args.slice(split + 1);
  return {
    command: command!,
    args: commandArgs,
    times: int('times', values.times),
    minDelayMs: int('min-ms', values['min-ms']),
    maxDelayMs: int('max-ms', values['max-ms']),
    readyPattern: values.ready === undefined ? undefined : new RegExp(values.ready),
    readyTimeoutMs: int('ready-timeout-ms', values['ready-timeout-ms']),
    restartDelayMs: int('restart-delay-ms', values['restart-delay-ms']),
    maxCrashes: values['max-crashes'] === undefined ? undefined : int('max-crashes', values['max-crashes']),
    then: values.then,
    seed: values.seed === undefined ? undefined : int('seed', values.seed),
  };
}

export function describeEvent(e: KillLoopEvent): string {
  switch (e.type) {
    case 'start':
      return `[kill-loop] run ${e.run}: started pid ${e.pid}`;
    case 'ready':
      return `[kill-loop] run ${e.run}: ready after ${e.afterMs} ms`;
    case 'kill':
      return `[kill-loop] run ${e.run}: kill -9 pid ${e.pid} ${e.afterReadyMs} ms after ready (kill ${e.kill})`;
    case 'exit':
      return `[kill-loop] run ${e.run}: exited ${e.killedByLoop ? 'by kill -9' : `on its own (code ${e.code}, signal ${e.signal})`}`;
  }
}

async function main(): Promise<void> {
  const options = parseKillLoopArgs(process.argv.slice(2));
  const loop = runKillLoop({
    ...options,
    onOutput: (line, run) => console.log(`[run ${run}] ${line}`),
    onEvent: (e) => console.log(describeEvent(e)),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => loop.stop());
  const report = await loop.done;
  console.log(JSON.stringify({ killLoop: report }));
  process.exitCode = report.finalExitCode ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKillLoopArgs } from './kill-loop.js';
import { runKillLoop, type KillLoopEvent } from './run-kill-loop.js';

const node = process.execPath;
/** Running, not a zombie waiting for its (killed) parent's reaper. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('parseKillLoopArgs', () => {
  it('reads options before `--` and the command after it, with or without npm’s leading `--`', () => {
    const o = parseKillLoopArgs(['--', '--times', '10', '--min-ms', '5', '--ready', 'ready', '--then', 'wait', '--', 'node', 'w.js', '--x']);
    expect(o).toMatchObject({ times: 10, minDelayMs: 5, maxDelayMs: 2000, then: 'wait', command: 'node', args: ['w.js', '--x'] });
    expect(o.readyPattern?.test('ready')).toBe(true);
  });

  it('names what is wrong', () => {
    expect(() => parseKillLoopArgs(['--times', '3'])).toThrow('kill-loop: expected `-- <worker command> [args...]` after the options, got no command');
    expect(() => parseKillLoopArgs(['--times', 'x', '--', 'node'])).toThrow('kill-loop --times: expected a non-negative integer, got "x"');
    expect(() => parseKillLoopArgs(['--times', '2', '--then', 'later', '--', 'node'])).toThrow('kill-loop --then: expected "stop" or "wait", got "later"');
    expect(() => runKillLoop({ command: node, times: 0, minDelayMs: 0, maxDelayMs: 1 })).toThrow('kill loop times: expected a positive integer, got 0');
  });
});

describe('runKillLoop', () => {
  it('kill -9s the whole process group at random moments after readiness and restarts it', async () => {
    const events: KillLoopEvent[] = [];
    const pids: number[] = [];
    // A shell wrapper around the real worker: killing only the shell would leave the worker running.
    const script = `${JSON.stringify(node)} -e "console.log('pid', process.pid); console.log('ready'); setInterval(() => {}, 1000)"`;
    const report = await runKillLoop({
      command: 'sh',
      args: ['-c', script],
      times: 3,
      minDelayMs: 10,
      maxDelayMs: 60,
      readyPattern: /^ready$/,
      seed: 42,
      onOutput: (line) => {
        const m = /^pid (\d+)$/.exec(line);
        if (m) pids.push(Number(m[1]));
      },
      onEvent: (e) => events.push(e),
    }).done;
    expect(report).toMatchObject({ seed: 42, runs: 3, kills: 3, unplannedExits: [] });
    expect(events.filter((e) => e.type === 'kill').map((e) => (e as { afterReadyMs: number }).afterReadyMs).every((ms) => ms >= 10 && ms <= 60)).toBe(true);
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(3);
    expect(pids).toHaveLength(3);
    for (let i = 0; i < 40 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  });

  it('restarts a run that crashed up to maxCrashes, stops when one finishes, and with `then: wait` reports the final exit', async () => {
    const crashing = await runKillLoop({ command: node, args: ['-e', 'process.exit(3)'], times: 5, maxCrashes: 2, minDelayMs: 1000, maxDelayMs: 1000 }).done;
    expect(crashing).toMatchObject({ runs: 2, kills: 0, unplannedExits: [{ run: 1, code: 3, signal: null }, { run: 2, code: 3, signal: null }] });
    const loop = runKillLoop({ command: node, args: ['-e', 'setInterval(() => {}, 1000)'], times: 5, minDelayMs: 5000, maxDelayMs: 5000 });
    setTimeout(() => loop.stop(), 300);
    expect(await loop.done).toMatchObject({ runs: 1, kills: 0, unplannedExits: [] });

    const finished = await runKillLoop({ command: node, args: ['-e', ''], times: 2, minDelayMs: 5000, maxDelayMs: 5000 }).done;
    expect(finished).toMatchObject({ runs: 1, kills: 0, unplannedExits: [{ run: 1, code: 0, signal: null }] });

    const waited = await runKillLoop({ command: node, args: ['-e', 'setTimeout(() => {}, 150)'], times: 1, minDelayMs: 10, maxDelayMs: 20, then: 'wait' }).done;
    expect(waited).toMatchObject({ runs: 2, kills: 1, finalExitCode: 0 });
  });
});

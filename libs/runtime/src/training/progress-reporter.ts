import type { TrainEvent } from './train-events.js';

/** Where progress goes: a progress bar for people, JSON lines for machines, or nothing. */
export type ProgressMode = 'auto' | 'bar' | 'json' | 'none';

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  mode?: ProgressMode;
  /** Default process.stderr, so stdout stays free for a program's own output. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** JSON mode: write every n-th step event (start/validation/epoch/end always). Default 1. */
  everySteps?: number;
  /** Bar mode: minimum milliseconds between redraws. Default 100. */
  redrawMs?: number;
}

/** Receives every training event (see {@link createProgressReporter}). */
export type ProgressReporter = (event: TrainEvent) => void;

/**
 * Creates a reporter for train's events. `auto` draws a bar when the stream is a TTY and writes one JSON
 * object per line otherwise (logs, CI, a parent process reading a pipe).
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? 'auto';
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'json') : mode;
  if (resolved === 'none') return () => undefined;
  if (resolved === 'json') return jsonReporter(stream, options.everySteps ?? 1);
  if (resolved === 'bar') return barReporter(stream, options.redrawMs ?? 100);
  throw new TypeError(`createProgressReporter: options.mode must be one of auto, bar, json, none; got ${JSON.stringify(mode)}`);
}

function jsonReporter(stream: NodeJS.WritableStream, everySteps: number): ProgressReporter {
  if (!(Number.isInteger(everySteps) && everySteps >= 1)) throw new RangeError(`createProgressReporter: options.everySteps must be a positive integer, got ${everySteps}`);
  return (event) => {
    if (event.type === 'step' && (event.step + 1) % everySteps !== 0 && event.step + 1 !== event.totalSteps) return;
    stream.write(`${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`);
  };
}

function barReporter(stream: NodeJS.WritableStream & { columns?: number }, redrawMs: number): ProgressReporter {
  if (!(Number.isFinite(redrawMs) && redrawMs >= 0)) throw new RangeError(`createProgressReporter: options.redrawMs must be a non-negative number, got ${redrawMs}`);
  let lastDraw = 0;
  let drawn = false;
  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const line = (text: string): void => {
    clear();
    stream.write(`${text}\n`);
  };
  return (event) => {
    switch (event.type) {
      case 'start':
        line(`training on ${event.backend}: ${event.parameters} parameters, ${event.totalSteps ?? '?'} steps, seed ${event.seed}`);
        break;
      case 'step': {
        const now = Date.now();
        const last = event.step + 1 === event.totalSteps;
        if (!last && now - lastDraw < redrawMs) return;
        lastDraw = now;
        const done = event.step + 1;
        const rate = done / Math.max(event.elapsedMs / 1000, 1e-9);
        const eta = event.totalSteps ? ` eta ${formatSeconds((event.totalSteps - done) / rate)}` : '';
        const stats = ` ${done}/${event.totalSteps ?? '?'} loss ${event.loss.toPrecision(4)}${event.learningRate !== null ? ` lr ${event.learningRate.toExponential(2)}` : ''} ${rate.toFixed(1)} it/s${eta}`;
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - stats.length - 4));
        const filled = event.totalSteps ? Math.round((width * done) / event.totalSteps) : 0;
        clear();
        stream.write(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${stats}`);
        drawn = true;
        break;
      }
      case 'validation':
        line(`step ${event.step + 1}: ${event.metric} ${event.value.toPrecision(5)}${event.improved ? ' (best)' : ` (best ${event.best.toPrecision(5)}, ${event.waits}/${event.patience ?? '∞'} without improvement)`}`);
        break;
      case 'epoch':
        line(`epoch ${event.epoch + 1}: ${event.steps} steps, mean loss ${event.meanLoss.toPrecision(5)}, ${formatSeconds(event.elapsedMs / 1000)}`);
        break;
      case 'end':
        line(`done (${event.stopReason}) after ${event.steps} steps in ${formatSeconds(event.elapsedMs / 1000)}${event.bestValue !== null ? `; best ${event.bestValue.toPrecision(5)} at step ${(event.bestStep ?? 0) + 1}${event.restoredBest ? ', restored' : ''}` : ''}`);
        break;
    }
  };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

import type { RawRow } from '../data/raw-row.js';
import { Rng } from '../util/rng.js';
import type { CtrEvent } from './ctr-events.js';

export interface SyntheticEventOptions {
  /** Label column whose positives become click events. Default `click`. */
  label?: string;
  startTs?: number;
  /** Event-time gap between impressions (ms). Default 1000. */
  gapMs?: number;
  windowMs: number;
  /** Share of clicks that arrive after the window (late). Default 0.1. */
  lateShare?: number;
  seed?: number;
}

/**
 * An impression/click stream from labelled rows (e.g. the synthetic generator's): one impression per row,
 * and for each positive a click delayed by U(0, 0.9·window) — or, for `lateShare` of them, by 1.2–2 windows.
 * Events are in event-time order. Used by the specs and for trying the worker by hand.
 */
export function syntheticEvents(rows: readonly RawRow[], options: SyntheticEventOptions): { events: CtrEvent[]; onTime: number; late: number } {
  const label = options.label ?? 'click';
  const rng = new Rng(options.seed ?? 1);
  const start = options.startTs ?? 1_700_000_000_000;
  const gap = options.gapMs ?? 1000;
  const timed: { ts: number; order: number; event: CtrEvent }[] = [];
  let onTime = 0;
  let late = 0;
  rows.forEach((r, i) => {
    const { [label]: y, ...row } = r;
    const ts = start + i * gap;
    const id = `imp-${i}`;
    timed.push({ ts, order: 2 * i, event: { type: 'impression', id, ts, row: row as Record<string, string | number | boolean | null | (string | number)[]> } });
    if (Number(y) !== 1) return;
    const isLate = rng.next() < (options.lateShare ?? 0.1);
    const delay = isLate ? options.windowMs * (1.2 + 0.8 * rng.next()) : options.windowMs * 0.9 * rng.next();
    if (isLate) late++;
    else onTime++;
    timed.push({ ts: ts + Math.round(delay), order: 2 * i + 1, event: { type: 'click', impressionId: id, ts: ts + Math.round(delay) } });
  });
  timed.sort((a, b) => a.ts - b.ts || a.order - b.order);
  return { events: timed.map((t) => t.event), onTime, late };
}

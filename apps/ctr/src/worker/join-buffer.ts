import type { RawRow } from '../data/raw-row.js';

/** An impression waiting for its clicks. */
export interface PendingImpression {
  id: string;
  ts: number;
  row: RawRow;
  /** Tasks with a positive event inside the window. */
  positives: string[];
}

export type ClickOutcome = 'joined' | 'late' | 'unmatched' | 'duplicate';

export interface JoinBufferState {
  windowMs: number;
  watermark: number | null;
  pending: PendingImpression[];
  /** Recently labelled impressions (id → ts), so a late click is told apart from one for an unknown impression. */
  closed: [string, number][];
}

/**
 * Event-time join of impressions with delayed clicks. A click joins when it arrives within `windowMs` of its
 * impression (ts_click − ts_imp ≤ window). An impression is labelled — positive for each task that got a
 * click in time, negative otherwise — once the watermark (largest event time seen) passes ts_imp + window.
 * A click after that, or later than the window, is late: counted and dropped. Clicks for impressions never
 * seen (or forgotten: closed ids are kept for one more window) are unmatched.
 */
export class JoinBuffer {
  private pending = new Map<string, PendingImpression>();
  private closed = new Map<string, number>();
  private watermark = -Infinity;

  constructor(readonly windowMs: number) {
    if (!(windowMs >= 0 && Number.isFinite(windowMs))) throw new Error(`JoinBuffer: windowMs expected a finite number ≥ 0, got ${windowMs}`);
  }

  get size(): number {
    return this.pending.size;
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  /** Adds an impression; false when its id is already pending or was labelled (a duplicate). */
  addImpression(id: string, ts: number, row: RawRow): boolean {
    if (this.pending.has(id) || this.closed.has(id)) return false;
    this.pending.set(id, { id, ts, row, positives: [] });
    return true;
  }

  addClick(impressionId: string, ts: number, task: string): ClickOutcome {
    const imp = this.pending.get(impressionId);
    if (!imp) return this.closed.has(impressionId) ? 'late' : 'unmatched';
    if (ts - imp.ts > this.windowMs) return 'late';
    if (imp.positives.includes(task)) return 'duplicate';
    imp.positives.push(task);
    return 'joined';
  }

  /** Moves the watermark to `ts` (if later) and returns the impressions whose window closed, oldest first. */
  advance(ts: number): PendingImpression[] {
    if (ts > this.watermark) this.watermark = ts;
    const out: PendingImpression[] = [];
    for (const imp of this.pending.values()) {
      if (imp.ts + this.windowMs < this.watermark) out.push(imp);
    }
    out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const imp of out) {
      this.pending.delete(imp.id);
      this.closed.set(imp.id, imp.ts);
    }
    for (const [id, t] of this.closed) if (t + 2 * this.windowMs < this.watermark) this.closed.delete(id);
    return out;
  }

  toJSON(): JoinBufferState {
    return { windowMs: this.windowMs, watermark: Number.isFinite(this.watermark) ? this.watermark : null, pending: [...this.pending.values()], closed: [...this.closed] };
  }

  static fromJSON(state: JoinBufferState): JoinBuffer {
    const b = new JoinBuffer(state.windowMs);
    b.watermark = state.watermark ?? -Infinity;
    b.pending = new Map(state.pending.map((p) => [p.id, p]));
    b.closed = new Map(state.closed);
    return b;
  }
}

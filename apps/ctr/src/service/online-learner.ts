import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { MalformedEventError, type EventHandler } from '@moe/service';
import type { RawRow } from '../data/raw-row.js';
import { auc } from '../eval/metrics.js';
import { predict } from '../train/predict.js';
import { trainStep } from '../train/trainer.js';
import type { ModelSlot } from './model-slot.js';

const rowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]));
export const ctrEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('impression'), id: z.string().min(1), ts: z.number().finite(), row: rowSchema }),
  /** A positive outcome of `task` (default: the first task, e.g. click) for an earlier impression. */
  z.object({ type: z.literal('click'), id: z.string().min(1).optional(), impressionId: z.string().min(1), ts: z.number().finite(), task: z.string().optional() }),
]);
export type CtrEvent = z.output<typeof ctrEventSchema>;

export interface OnlineLearnerOptions {
  /** Event-time window (ms) a click may arrive after its impression; after it the impression is labelled. */
  joinWindowMs: number;
  /** Joined impressions per fine-tuning step. */
  batchSize?: number;
  learningRate?: number;
  embeddingLearningRate?: number;
}

interface Pending {
  ts: number;
  row: RawRow;
  positives: string[];
}

export interface OnlineStats {
  impressions: number;
  clicksJoined: number;
  lateOrUnmatchedClicks: number;
  labelled: number;
  fineTuneSteps: number;
  /** Prequential (predict-then-train) AUC of the first task per domain, over the recent window. */
  recentDomainAuc: Record<string, number>;
  lastLoss?: number;
}

/**
 * Joins impressions with delayed click events inside an event-time window, then fine-tunes the served model
 * on the labelled impressions (prequential: each batch is predicted before it is trained on, which gives
 * an honest running AUC) and refits the per-domain recalibration on those predictions.
 * A worker EventHandler: state (pending joins, calibration, counters) is snapshotted with the checkpoint;
 * model weights are not — fine-tuned weights are saved as a new model version by the caller.
 */
export class OnlineLearner<Tx> implements EventHandler<CtrEvent, Tx> {
  private pending = new Map<string, Pending>();
  private ready: RawRow[] = [];
  private watermark = -Infinity;
  private optimizer: tf.Optimizer | undefined;
  private recent: { p: number[]; y: number[]; domain: string[] } = { p: [], y: [], domain: [] };
  readonly stats: OnlineStats = { impressions: 0, clicksJoined: 0, lateOrUnmatchedClicks: 0, labelled: 0, fineTuneSteps: 0, recentDomainAuc: {} };

  constructor(private readonly slot: ModelSlot, private readonly options: OnlineLearnerOptions) {
    if (!(options.joinWindowMs >= 0)) throw new Error(`OnlineLearner: joinWindowMs expected a non-negative number, got ${options.joinWindowMs}`);
  }

  decode(value: unknown): CtrEvent {
    const r = ctrEventSchema.safeParse(value);
    if (!r.success) throw new MalformedEventError(r.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; '));
    return r.data;
  }

  eventId(event: CtrEvent): string {
    return event.type === 'impression' ? `imp:${event.id}` : `click:${event.id ?? `${event.impressionId}:${event.task ?? ''}:${event.ts}`}`;
  }

  async apply(event: CtrEvent): Promise<void> {
    if (event.type === 'impression') {
      this.pending.set(event.id, { ts: event.ts, row: event.row, positives: [] });
      this.stats.impressions++;
    } else {
      const p = this.pending.get(event.impressionId);
      if (p && event.ts <= p.ts + this.options.joinWindowMs) {
        p.positives.push(event.task ?? '');
        this.stats.clicksJoined++;
      } else {
        this.stats.lateOrUnmatchedClicks++;
      }
    }
    this.watermark = Math.max(this.watermark, event.ts);
    this.closeWindows();
    while (this.ready.length >= (this.options.batchSize ?? 256)) await this.fineTune(this.ready.splice(0, this.options.batchSize ?? 256));
  }

  /** Labels every impression whose join window has passed the watermark (no click → negative). */
  private closeWindows(): void {
    const served = this.slot.current;
    if (!served) return;
    const tasks = served.artifact.processor.config.tasks;
    for (const [id, p] of this.pending) {
      if (p.ts + this.options.joinWindowMs > this.watermark) continue;
      const row: RawRow = { ...p.row };
      tasks.forEach((t, k) => {
        const positive = p.positives.includes(t.name) || (k === 0 && p.positives.includes(''));
        const parent = t.chainOf === undefined ? -1 : tasks.findIndex((x) => x.name === t.chainOf);
        row[t.label] = positive && (parent < 0 || Number(row[tasks[parent].label]) === 1) ? 1 : 0;
      });
      this.ready.push(row);
      this.pending.delete(id);
      this.stats.labelled++;
    }
  }

  private async fineTune(rows: RawRow[]): Promise<void> {
    const lease = this.slot.lease();
    if (!lease) return;
    try {
      const { processor, model } = lease.served.artifact;
      // Rows with unknown domains or bad fields are skipped (they cannot be encoded by this model version).
      const good = rows.filter((r) => {
        try {
          processor.transform([r], { strict: true, requireLabels: true });
          return true;
        } catch {
          return false;
        }
      });
      if (good.length === 0) return;
      const batch = processor.transform(good, { strict: true, requireLabels: true });
      const before = await predict(model, batch);
      for (let t = 0; t < processor.layout.tasks.length; t++) lease.served.calibration.update(before.probs[t], batch.labels[t], batch.domain, t);
      this.track(before.probs[0], batch.labels[0], Array.from(batch.domain, (d) => processor.domains[d]));
      this.optimizer ??= tf.train.adam(this.options.learningRate ?? 1e-3);
      this.stats.lastLoss = await trainStep(model, batch, this.optimizer, { kind: 'adam', learningRate: this.options.embeddingLearningRate ?? 5e-3 });
      this.stats.fineTuneSteps++;
    } finally {
      lease.release();
    }
  }

  private track(p: ArrayLike<number>, y: ArrayLike<number>, domains: string[]): void {
    const keep = 5000;
    this.recent.p.push(...Array.from(p));
    this.recent.y.push(...Array.from(y));
    this.recent.domain.push(...domains);
    for (const k of ['p', 'y', 'domain'] as const) this.recent[k].splice(0, Math.max(0, this.recent[k].length - keep));
    const byDomain = new Map<string, number[]>();
    this.recent.domain.forEach((d, i) => (byDomain.get(d) ?? byDomain.set(d, []).get(d)!).push(i));
    this.stats.recentDomainAuc = Object.fromEntries([...byDomain].map(([d, idx]) => [d, auc(idx.map((i) => this.recent.p[i]), idx.map((i) => this.recent.y[i]))]).filter(([, a]) => Number.isFinite(a as number)));
  }

  snapshot(): string {
    return JSON.stringify({ pending: [...this.pending], ready: this.ready, watermark: Number.isFinite(this.watermark) ? this.watermark : null, stats: this.stats, calibration: this.slot.current?.calibration.toJSON() });
  }

  restore(state: string | undefined): void {
    if (!state) return;
    const s = JSON.parse(state) as { pending: [string, Pending][]; ready: RawRow[]; watermark: number | null; stats: OnlineStats; calibration?: number[][] };
    this.pending = new Map(s.pending);
    this.ready = s.ready;
    this.watermark = s.watermark ?? -Infinity;
    Object.assign(this.stats, s.stats);
    const cal = this.slot.current?.calibration;
    if (cal && s.calibration && s.calibration.length === cal.offsets.length) s.calibration.forEach((row, d) => (cal.offsets[d] = row));
  }

  dispose(): void {
    this.optimizer?.dispose();
  }
}

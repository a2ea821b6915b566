import type { Db, Prisma } from '@moe/db';
import type { RawRow } from '../data/raw-row.js';
import type { RowPrediction } from './predict-rows.js';
import { CTR_APP } from './model-versions.js';

export interface PredictionLogOptions {
  /** Probability that a row is logged (0..1). Default 0.01. */
  sampleRate: number;
  /** At most this many rows of one request are logged. Default 16. */
  maxPerRequest: number;
  /** Uniform [0, 1) source, replaceable for tests. */
  random?: () => number;
}

/**
 * Samples served predictions into the PredictionLog table (input row, output, latency, model version) so
 * feedback can later be joined to them by `requestId` (`<request id>:<row index>`). Writes happen after the
 * answer and never fail a request; `flush` waits for those in flight (on shutdown, before the db closes).
 */
export class PredictionLog {
  private readonly pending = new Set<Promise<void>>();
  private readonly random: () => number;
  written = 0;
  failed = 0;

  constructor(private readonly options: PredictionLogOptions, private readonly onError: (err: unknown) => void) {
    if (!(options.sampleRate >= 0 && options.sampleRate <= 1)) throw new Error(`PredictionLog: sampleRate expected a number in [0, 1], got ${options.sampleRate}`);
    this.random = options.random ?? Math.random;
  }

  record(db: Db | undefined, entry: { requestId: string; modelVersionId?: number; rows: readonly RawRow[]; predictions: readonly RowPrediction[]; latencyMs: number }): void {
    if (!db || this.options.sampleRate === 0) return;
    const data: Prisma.PredictionLogCreateManyInput[] = [];
    for (let i = 0; i < entry.rows.length && data.length < this.options.maxPerRequest; i++) {
      if (this.random() >= this.options.sampleRate) continue;
      data.push({
        app: CTR_APP,
        modelVersionId: entry.modelVersionId ?? null,
        requestId: `${entry.requestId}:${i}`,
        input: JSON.parse(JSON.stringify(entry.rows[i])) as Prisma.InputJsonValue,
        output: JSON.parse(JSON.stringify(entry.predictions[i])) as Prisma.InputJsonValue,
        latencyMs: entry.latencyMs,
      });
    }
    if (data.length === 0) return;
    const write: Promise<void> = db.client.predictionLog
      .createMany({ data })
      .then(() => void (this.written += data.length))
      .catch((err: unknown) => {
        this.failed += data.length;
        this.onError(err);
      })
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}

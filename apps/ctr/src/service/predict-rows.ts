import type { RawRow } from '../data/raw-row.js';
import { FeatureInputError } from '../features/feature-processor.js';
import { predict } from '../train/predict.js';
import type { ServedModel } from './model-slot.js';

export interface RowPrediction {
  domain: string;
  /** Calibrated probability per task name (joint for chained tasks, e.g. pCTCVR). */
  probabilities: Record<string, number>;
  /** Chained tasks: the conditional probability (e.g. pCVR = p(conversion | click)). */
  conditional?: Record<string, number>;
  /** AdaptDHM: the cluster tower that served the row. */
  route?: number;
}

export interface PredictOutcome {
  predictions: RowPrediction[];
  /** Batch-mean gate weights per task (`gate/<task>` → per expert) and other model diagnostics. */
  diagnostics: Record<string, number[]>;
  /** Share of rows routed to each group (AdaptDHM clusters), when the model routes. */
  routeShare?: number[];
}

/** A caller error naming the row field (the service maps it to 400 with path `body.rows.<i>.<field>`). */
export class PredictInputError extends Error {
  override readonly name = 'PredictInputError';
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

/** Strictly encodes raw rows with the model's own fitted processor, predicts and applies the per-domain recalibration. */
export async function predictRows(served: ServedModel, rows: readonly RawRow[]): Promise<PredictOutcome> {
  const { processor, model } = served.artifact;
  let batch;
  try {
    batch = processor.transform(rows, { strict: true });
  } catch (e) {
    if (e instanceof FeatureInputError) throw new PredictInputError(`body.rows.${e.row}.${e.field}`, `body.rows.${e.row}.${e.field}: ${e.message}`);
    throw e;
  }
  const out = await predict(model, batch, { diagnostics: true });
  const tasks = processor.layout.tasks;
  const chained = tasks.filter((t) => t.chainOf >= 0);
  const predictions = rows.map((_, i): RowPrediction => {
    const d = batch.domain[i];
    const pred: RowPrediction = {
      domain: processor.domains[d],
      probabilities: Object.fromEntries(tasks.map((t, k) => [t.name, served.calibration.apply(out.probs[k][i], d, k)])),
    };
    if (chained.length) pred.conditional = Object.fromEntries(chained.map((t) => [t.name, out.conditional[tasks.indexOf(t)][i]]));
    if (out.routes) pred.route = out.routes[i];
    return pred;
  });
  let routeShare: number[] | undefined;
  if (out.routes) {
    const groups = Math.max(model.config.kind === 'adaptdhm' ? model.config.clusters : 0, ...Array.from(out.routes, (r) => r + 1));
    routeShare = new Array<number>(groups).fill(0);
    for (const r of out.routes) routeShare[r] += 1 / out.routes.length;
  }
  return { predictions, diagnostics: out.diagnostics, ...(routeShare ? { routeShare } : {}) };
}

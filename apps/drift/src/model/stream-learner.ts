import type { Classifier } from '@moe/stream';

/** What a learner reports for `GET …/status` and the dashboard. */
export interface LearnerStats {
  /** How often each expert was chosen to predict (MoE) — empty for single models. */
  expertUsage: number[];
  /** Drift detections (ARF trees reset, improved-variant expert replacements). */
  driftDetections: number;
  /** Instance counts (1-based) at which detections happened, most recent last (capped). */
  driftPositions: number[];
}

/**
 * A prequential learner: `predict(x)` then `learn(x, y)` with the *same* `x` array reuses the forward pass
 * (router + expert votes) computed for the prediction, which is what test-then-train does every instance.
 */
export interface StreamLearner extends Classifier {
  readonly method: string;
  stats(): LearnerStats;
  /** Full state as JSON-compatible data; `restoreLearner` rebuilds an identical learner from it. */
  getState(): unknown;
}

export const MAX_DRIFT_POSITIONS = 1000;

export function recordDrift(stats: LearnerStats, position: number): void {
  stats.driftDetections++;
  stats.driftPositions.push(position);
  if (stats.driftPositions.length > MAX_DRIFT_POSITIONS) stats.driftPositions.shift();
}

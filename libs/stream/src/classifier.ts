import type { Schema } from './schema.js';

/** An incremental classifier (test-then-train): votes for an instance, then learn from its label. */
export interface Classifier {
  readonly schema: Schema;
  /** Unnormalised class votes, length = number of classes; all zero when the model knows nothing yet. */
  predictVotes(x: Float64Array): Float64Array;
  /** First index of the largest vote. */
  predict(x: Float64Array): number;
  learn(x: Float64Array, y: number, weight?: number): void;
}

/** First index of the maximum (MOA Utils.maxIndex, numpy/torch argmax): 0 for an all-zero vector. */
export function argmax(votes: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < votes.length; i++) if (votes[i] > votes[best]) best = i;
  return best;
}

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../seed/rng.js';
import { shuffleInPlace } from '../seed/shuffle.js';
import { TrainingError } from './training-error.js';

/**
 * Training batches, in one of two forms:
 * - an array, reused every epoch (reshuffled per epoch with the run's seed unless `shuffle: false`);
 *   the caller owns its tensors;
 * - a function called at the start of each epoch that returns an iterable or async iterable of batches
 *   (e.g. a generator slicing a dataset with `rng`); batches it yields belong to `train`, which disposes
 *   every tensor in a batch after its step.
 */
export type TrainData<B> = readonly B[] | ((context: { epoch: number; rng: Rng }) => Iterable<B> | AsyncIterable<B>);

export interface EpochBatches<B> {
  batches: AsyncIterator<B> | Iterator<B>;
  /** Whether `train` must dispose each batch after its step. */
  owned: boolean;
}

export function openEpoch<B>(data: TrainData<B>, epoch: number, rng: Rng, shuffle: boolean): EpochBatches<B> {
  if (Array.isArray(data)) {
    const order = [...data];
    if (shuffle) shuffleInPlace(order, rng);
    return { batches: order[Symbol.iterator](), owned: false };
  }
  if (typeof data !== 'function') throw new TrainingError('invalid_argument', `data must be an array of batches or a function (epoch context) → iterable of batches, got ${data === null ? 'null' : typeof data}`);
  const produced = (data as (c: { epoch: number; rng: Rng }) => Iterable<B> | AsyncIterable<B>)({ epoch, rng });
  if (produced && typeof (produced as AsyncIterable<B>)[Symbol.asyncIterator] === 'function') {
    return { batches: (produced as AsyncIterable<B>)[Symbol.asyncIterator](), owned: true };
  }
  if (produced && typeof (produced as Iterable<B>)[Symbol.iterator] === 'function') {
    return { batches: (produced as Iterable<B>)[Symbol.iterator](), owned: true };
  }
  throw new TrainingError('invalid_argument', `data(epoch ${epoch}) must return an iterable or async iterable of batches, got ${produced === null ? 'null' : typeof produced}`);
}

/** Disposes every tensor reachable in a batch (a tensor, an array or a plain object of them). */
export function disposeBatch(batch: unknown, seen = new Set<unknown>()): void {
  if (batch === null || typeof batch !== 'object' || seen.has(batch)) return;
  seen.add(batch);
  if (batch instanceof tf.Tensor) {
    // A variable inside a batch is model state the caller passed along, never the batch's own data.
    if (!(batch instanceof tf.Variable)) batch.dispose();
    return;
  }
  for (const v of Array.isArray(batch) ? batch : Object.values(batch)) disposeBatch(v, seen);
}

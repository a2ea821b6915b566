import type * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from './training-error.js';

interface WithLearningRate {
  learningRate?: unknown;
  setLearningRate?: (lr: number) => void;
}

/**
 * Sets the learning rate of a tfjs optimizer for the next `applyGradients`. tfjs has no common API for it:
 * SGD and Momentum cache `-lr` as a kept scalar and must go through `setLearningRate` (which replaces it),
 * the others (Adam, Adamax, Adagrad, Adadelta, RMSProp) read their `learningRate` field on every update.
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as WithLearningRate;
  if (typeof o.setLearningRate === 'function') {
    o.setLearningRate(learningRate);
  } else if (typeof o.learningRate === 'number') {
    o.learningRate = learningRate;
  } else {
    throw new TrainingError('invalid_argument', `optimizer: ${optimizer.getClassName?.() ?? 'this optimizer'} has no numeric learningRate field or setLearningRate method, so a learningRate schedule cannot drive it`);
  }
}

/** The optimizer's current learning rate, if it exposes one. */
export function getOptimizerLearningRate(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as WithLearningRate).learningRate;
  return typeof lr === 'number' ? lr : undefined;
}

import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from './training-error.js';

/**
 * Tensors alive that are not variables. Variables are excluded because optimizers create their slots
 * (Adam moments, ...) lazily on the first update of each variable: state, not a leak.
 */
export function liveNonVariableTensors(): number {
  return tf.memory().numTensors - Object.keys(tf.engine().state.registeredVariables).length;
}

/** Throws a `tensor_leak` TrainingError naming the step when more non-variable tensors are alive than at `baseline`. */
export function assertNoLeak(baseline: number, step: number, what: string): void {
  const now = liveNonVariableTensors();
  if (now > baseline) {
    throw new TrainingError('tensor_leak', `step ${step}: ${what} leaked ${now - baseline} tensor(s) (${baseline} alive before, ${now} after). Wrap tensor code in tf.tidy or dispose intermediates; set checkLeaks: false to disable this guard.`, step);
  }
}

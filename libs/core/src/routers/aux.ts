import * as tf from '@tensorflow/tfjs-core';
import type { AuxLoss } from '../module/loss.js';

/** An AuxLoss from already-weighted parts (an empty object gives total 0). Takes ownership of the parts. */
export function auxFromParts(parts: Record<string, tf.Scalar>): AuxLoss {
  const values = Object.values(parts);
  const total = values.length === 0 ? tf.scalar(0) : values.length === 1 ? tf.clone(values[0]) : (tf.addN(values) as tf.Scalar);
  return { total, parts };
}

/**
 * tf.tidy for functions returning a structured result (a Routing with its nested aux): tidy keeps every
 * tensor reachable from the result, but its TensorContainer type does not admit interfaces like AuxLoss.
 */
export function tidyResult<T extends object>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

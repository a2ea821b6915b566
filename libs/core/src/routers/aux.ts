import * as tf from '@tensorflow/tfjs-core';
import type { AuxLoss } from '../module/loss.js';

/** An AuxLoss from already-weighted parts (an empty object gives total 0). Takes ownership of the parts. */
export function auxFromParts(parts: Record<string, tf.Scalar>): AuxLoss {
  const values = Object.values(parts);
  const total = values.length === 0 ? tf.scalar(0) : values.length === 1 ? tf.clone(values[0]) : (tf.addN(values) as tf.Scalar);
  return { total, parts };
}

import * as tf from '@tensorflow/tfjs-core';

/** An auxiliary loss as a total plus its named, already-weighted parts (e.g. {balance, zLoss}). */
export interface AuxLoss {
  total: tf.Scalar;
  parts: Record<string, tf.Scalar>;
}

/** Sums several aux losses, keeping parts distinct by prefixing keys when they collide. */
export function sumAuxLosses(losses: AuxLoss[]): AuxLoss {
  const parts: Record<string, tf.Scalar> = {};
  for (const [i, l] of losses.entries()) for (const [k, v] of Object.entries(l.parts)) parts[k in parts ? `${k}#${i}` : k] = v;
  const total = losses.length === 0 ? tf.scalar(0) : (tf.addN(losses.map((l) => l.total)) as tf.Scalar);
  return { total, parts };
}

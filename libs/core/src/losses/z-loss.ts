import * as tf from '@tensorflow/tfjs-core';

/**
 * ST-MoE router z-loss (1/T) Σ_t (log Σ_j exp ℓ_tj)², unweighted (c_z = 1e-3 by default). Penalises large
 * logits so the router's softmax stays in float32's comfortable range. logSumExp is the stable form.
 */
export function routerZLoss(logits: tf.Tensor2D): tf.Scalar {
  if (logits.rank !== 2) throw new Error(`routerZLoss: logits must have shape [T, E]; got [${logits.shape}]`);
  return tf.tidy(() => tf.mean(tf.square(tf.logSumExp(logits, 1))) as tf.Scalar);
}

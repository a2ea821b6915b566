import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean routing entropy (1/T) Σ_t −Σ_e p_te log p_te of probabilities [T, E]. As a loss this is the "dynamic"
 * loss of top-p routing (Huang et al. 2024): minimising it makes the router confident, so the cumulative
 * threshold is reached with fewer experts. Probabilities are clipped at 1e-9 so log(0) cannot give NaN.
 */
export function routingEntropyLoss(probs: tf.Tensor2D): tf.Scalar {
  if (probs.rank !== 2) throw new Error(`routingEntropyLoss: probs must have shape [T, E]; got [${probs.shape}]`);
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(probs, tf.log(tf.maximum(probs, 1e-9))), 1))) as tf.Scalar);
}

import * as tf from '@tensorflow/tfjs-core';
import { checkTokenMask, meanOverTokens } from './token-mask.js';

/**
 * Mean routing entropy (1/T) Σ_t −Σ_e p_te log p_te of probabilities [T, E]. As a loss this is the "dynamic"
 * loss of top-p routing (Huang et al. 2024): minimising it makes the router confident, so the cumulative
 * threshold is reached with fewer experts. Probabilities are clipped at 1e-9 so log(0) cannot give NaN.
 * With `tokenMask` [T] (1 = real, 0 = padding) the mean runs over the real tokens only.
 */
export function routingEntropyLoss(probs: tf.Tensor2D, tokenMask?: tf.Tensor1D): tf.Scalar {
  if (probs.rank !== 2) throw new Error(`routingEntropyLoss: probs must have shape [T, E]; got [${probs.shape}]`);
  checkTokenMask('routingEntropyLoss', tokenMask, probs.shape[0]);
  return tf.tidy(() => tf.neg(meanOverTokens(tf.sum(tf.mul(probs, tf.log(tf.maximum(probs, 1e-9))), 1) as tf.Tensor1D, tokenMask)) as tf.Scalar);
}

import * as tf from '@tensorflow/tfjs-core';
import { checkTokenMask, meanOverTokens } from './token-mask.js';

/**
 * ST-MoE router z-loss (1/T) Σ_t (log Σ_j exp ℓ_tj)², unweighted (c_z = 1e-3 by default). Penalises large
 * logits so the router's softmax stays in float32's comfortable range. logSumExp is the stable form.
 * With `tokenMask` [T] (1 = real, 0 = padding) the mean runs over the real tokens only.
 */
export function routerZLoss(logits: tf.Tensor2D, tokenMask?: tf.Tensor1D): tf.Scalar {
  if (logits.rank !== 2) throw new Error(`routerZLoss: logits must have shape [T, E]; got [${logits.shape}]`);
  checkTokenMask('routerZLoss', tokenMask, logits.shape[0]);
  return tf.tidy(() => meanOverTokens(tf.square(tf.logSumExp(logits, 1)) as tf.Tensor1D, tokenMask));
}

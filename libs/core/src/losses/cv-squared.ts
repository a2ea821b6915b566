import * as tf from '@tensorflow/tfjs-core';
import { detached } from '../routers/selection.js';
import { checkTokenMask } from './token-mask.js';

/**
 * Squared coefficient of variation Var(v)/Mean(v)² (population variance), as tensor2tensor computes it.
 * Computed as var/mean² rather than through std: std's gradient is NaN at perfect balance (vmoe PR #218).
 * 0 for a vector of length 1 (nothing to balance).
 */
export function cvSquared(v: tf.Tensor1D): tf.Scalar {
  if (v.rank !== 1) throw new Error(`cvSquared: v must be a vector; got shape [${v.shape}]`);
  return tf.tidy(() => {
    if (v.shape[0] < 2) return tf.scalar(0);
    const { mean, variance } = tf.moments(v);
    return tf.div(variance, tf.add(tf.square(mean), 1e-10)) as tf.Scalar;
  });
}

/** Shazeer importance loss CV²(Σ_t G(x_t)) for dense gates [T, E] (zeros outside each token's top-k). Unweighted. */
export function importanceLoss(gates: tf.Tensor2D): tf.Scalar {
  if (gates.rank !== 2) throw new Error(`importanceLoss: gates must have shape [T, E]; got [${gates.shape}]`);
  return tf.tidy(() => cvSquared(tf.sum(gates, 0) as tf.Tensor1D));
}

/**
 * Shazeer's smooth load estimator: Load_i = Σ_t P(t, i), P(t, i) = Φ((ℓ_ti − θ_ti) / σ_ti), the probability
 * that expert i stays in token t's top-k if only its own noise were resampled. θ is the k-th largest noisy
 * logit of the *other* experts: the (k+1)-th noisy value when i is currently in the top-k, the k-th when it
 * is not. Differentiable in the clean logits ℓ, the noise scale σ and (through θ) the noisy logits.
 * `cleanLogits`, `noisyLogits`, `noiseStd` are [T, E]; k < E. Padded tokens (`tokenMask` [T] = 0) add nothing.
 */
export function smoothLoad(cleanLogits: tf.Tensor2D, noisyLogits: tf.Tensor2D, noiseStd: tf.Tensor2D, k: number, tokenMask?: tf.Tensor1D): tf.Tensor1D {
  const [T, E] = cleanLogits.shape;
  for (const [name, t] of [['noisyLogits', noisyLogits], ['noiseStd', noiseStd]] as const) {
    if (!tf.util.arraysEqual(t.shape, cleanLogits.shape)) throw new Error(`smoothLoad: ${name} must have shape [${T}, ${E}]; got [${t.shape}]`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= E) throw new Error(`smoothLoad: k must be an integer in [1, ${E - 1}] (the estimator needs a (k+1)-th value); got ${k}`);
  checkTokenMask('smoothLoad', tokenMask, T);
  return tf.tidy(() => {
    const top = tf.topk(noisyLogits, k + 1).values; // [T, k+1]
    const thresholdIfIn = tf.slice(top, [0, k], [T, 1]);
    const thresholdIfOut = tf.slice(top, [0, k - 1], [T, 1]);
    // Which threshold applies is a discrete decision: off the tape (Greater has no gradient in tfjs).
    const isIn = detached((n, t) => tf.cast(tf.greater(n, t), 'float32'), noisyLogits, thresholdIfIn);
    const threshold = tf.add(thresholdIfOut, tf.mul(isIn, tf.sub(thresholdIfIn, thresholdIfOut)));
    const z = tf.div(tf.sub(cleanLogits, threshold), noiseStd);
    const prob = tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2))));
    return tf.sum(tokenMask ? tf.mul(prob, tf.expandDims(tokenMask, 1)) : prob, 0) as tf.Tensor1D;
  });
}

/** Shazeer load loss CV²(smoothLoad(...)). Unweighted. */
export function loadLoss(cleanLogits: tf.Tensor2D, noisyLogits: tf.Tensor2D, noiseStd: tf.Tensor2D, k: number, tokenMask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => cvSquared(smoothLoad(cleanLogits, noisyLogits, noiseStd, k, tokenMask)));
}

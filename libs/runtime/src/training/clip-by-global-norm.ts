import * as tf from '@tensorflow/tfjs-core';

/**
 * Global-norm clipping (Pascanu et al. 2013, as in tf.clip_by_global_norm): when the L2 norm over all
 * gradients together exceeds `maxNorm`, every gradient is scaled by maxNorm / norm, so the update keeps
 * its direction. Without `maxNorm` only the norm is computed. Functional: call inside `tf.tidy`.
 * The scale is computed on the device (no readback), so clipping costs no synchronisation.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm?: number): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  if (maxNorm !== undefined && !(Number.isFinite(maxNorm) && maxNorm > 0)) throw new RangeError(`clipNorm must be a positive number, got ${maxNorm}`);
  const list = Object.values(grads);
  const norm = list.length === 0
    ? tf.scalar(0)
    : tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  if (maxNorm === undefined) return { grads, norm };
  // scale = maxNorm / max(norm, maxNorm): exactly 1 when under the limit, so unclipped steps are unchanged.
  const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
  const clipped: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
  return { grads: clipped, norm };
}

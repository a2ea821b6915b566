import * as tf from '@tensorflow/tfjs-core';
import type { EncodedLayout } from '../features/encoded-batch.js';

/** Labels [B, T] with NaN (unlabelled) replaced by 0, and a mask [B, T] that is 0 there. */
export function labelTensors(labels: Float32Array[], size: number): { y: tf.Tensor2D; mask: tf.Tensor2D } {
  const T = labels.length;
  const y = new Float32Array(size * T);
  const mask = new Float32Array(size * T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < size; i++) {
      const v = labels[t][i];
      if (Number.isNaN(v)) continue;
      y[i * T + t] = v;
      mask[i * T + t] = 1;
    }
  }
  return { y: tf.tensor2d(y, [size, T]), mask: tf.tensor2d(mask, [size, T]) };
}

/**
 * Weighted sum over tasks of the masked mean binary cross-entropy. A plain task uses the stable
 * logits form max(l, 0) − l·y + log(1 + e^(−|l|)); a chained task (ESMM) is trained on its joint
 * probability σ(l_parent)·σ(l_task) against its label over all impressions, so CVR learns from the full space.
 */
export function multiTaskLoss(logits: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor2D, tasks: EncodedLayout['tasks']): tf.Scalar {
  const col = (t: tf.Tensor2D, i: number) => tf.slice(t, [0, i], [-1, 1]);
  const terms = tasks.map((task, i) => {
    const l = col(logits, i);
    const yi = col(y, i);
    const mi = col(mask, i);
    let perRow: tf.Tensor;
    if (task.chainOf < 0) {
      perRow = tf.add(tf.sub(tf.relu(l), tf.mul(l, yi)), tf.log1p(tf.exp(tf.neg(tf.abs(l)))));
    } else {
      const logP = tf.neg(tf.add(tf.softplus(tf.neg(col(logits, task.chainOf))), tf.softplus(tf.neg(l))));
      const p = tf.clipByValue(tf.exp(logP), 1e-7, 1 - 1e-7);
      perRow = tf.neg(tf.add(tf.mul(yi, tf.log(p)), tf.mul(tf.sub(1, yi), tf.log(tf.sub(1, p)))));
    }
    return tf.mul(tf.div(tf.sum(tf.mul(perRow, mi)), tf.maximum(tf.sum(mi), 1)), task.weight);
  });
  return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
}

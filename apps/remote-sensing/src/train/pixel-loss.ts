import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_LABEL } from '../data/tile-set.js';

/**
 * Mean pixel-wise cross-entropy of logits [B, S, S, K] against int32 labels [B, S, S]; pixels labelled
 * IGNORE_LABEL do not count. The one-hot is built as int32 and cast (tfjs-backend-wasm's float32 oneHot
 * returns zeros in 4.22).
 */
export function pixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  const K = logits.shape[3];
  return tf.tidy(() => {
    const flat = tf.reshape(logits, [-1, K]) as tf.Tensor2D;
    const ids = tf.reshape(labels, [-1]) as tf.Tensor1D;
    const valid = tf.cast(tf.notEqual(ids, IGNORE_LABEL), 'float32');
    const target = tf.mul(tf.cast(tf.oneHot(tf.minimum(ids, tf.scalar(K - 1, 'int32')), K), 'float32'), tf.expandDims(valid, 1));
    const nll = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(flat)), 1));
    return tf.div(tf.sum(nll), tf.maximum(tf.sum(valid), 1)) as tf.Scalar;
  });
}

import * as tf from '@tensorflow/tfjs-core';

const EPS = 1e-6;

/** UR-DMU's k for top-k MIL: ⌊T/16⌋ + 1 (13 at T = 200). */
export function milK(snippets: number): number {
  return Math.floor(snippets / 16) + 1;
}

/** Element-wise binary cross-entropy of probabilities p against targets y (clipped away from 0 and 1). */
export function binaryCrossEntropy(p: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    return tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q)))));
  });
}

/** Mean of the k largest values along the last axis: [..., T] → [...]. */
export function topkMean(scores: tf.Tensor, k: number): tf.Tensor {
  const t = scores.shape[scores.rank - 1];
  if (!Number.isInteger(k) || k < 1 || k > t) throw new RangeError(`topkMean: k must be an integer in 1…${t}, got ${k}`);
  return tf.tidy(() => tf.mean(tf.topk(scores, k).values, -1));
}

/** Top-k MIL: BCE(mean(topk(s, k)), y_video) averaged over videos. scores [B, T], labels [B] in {0, 1}. */
export function topkMilLoss(scores: tf.Tensor2D, labels: tf.Tensor1D, k: number): tf.Scalar {
  return tf.tidy(() => tf.mean(binaryCrossEntropy(topkMean(scores, k), labels)) as tf.Scalar);
}

/**
 * GS-MoE's expert supervision: expert c sees only videos of its class (target 1) and normal videos (target 0),
 * each through top-k MIL on its own score curve; videos of other classes are masked out.
 * expertScores [B, T, C]; classIndex [B] int32 with 0 = normal, c + 1 = class c.
 */
export function classExpertLoss(expertScores: tf.Tensor3D, classIndex: tf.Tensor1D, k: number): tf.Scalar {
  return tf.tidy(() => {
    const c = expertScores.shape[2];
    const videoScore = topkMean(tf.transpose(expertScores, [0, 2, 1]), k) as tf.Tensor2D; // [B, C]
    const oneHot = tf.cast(tf.oneHot(tf.cast(classIndex, 'int32'), c + 1), 'float32');
    const target = tf.slice(oneHot, [0, 1], [-1, c]); // [B, C]: 1 for the video's class
    const isNormal = tf.slice(oneHot, [0, 0], [-1, 1]); // [B, 1]
    const mask = tf.add(target, isNormal); // its class or a normal video
    const loss = tf.mul(binaryCrossEntropy(videoScore, target), mask);
    return tf.div(tf.sum(loss), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** Dense BCE of score curves against (pseudo-)labels, over the rows whose weight is 1. scores, targets [B, T]; rows [B]. */
export function denseBceLoss(scores: tf.Tensor2D, targets: tf.Tensor2D, rows: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const perRow = tf.mean(binaryCrossEntropy(scores, targets), 1);
    return tf.div(tf.sum(tf.mul(perRow, rows)), tf.maximum(tf.sum(rows), 1)) as tf.Scalar;
  });
}

/**
 * UR-DMU-style memory supervision: an abnormal video matches the abnormal bank somewhere (top-k of its
 * abnormal-match curve → 1), a normal video nowhere (→ 0), and every snippet of a normal video matches the
 * normal bank (mean → 1).
 */
export function memoryLoss(abnormalMatch: tf.Tensor2D, normalMatch: tf.Tensor2D, labels: tf.Tensor1D, k: number): tf.Scalar {
  return tf.tidy(() => {
    const a = tf.mean(binaryCrossEntropy(topkMean(abnormalMatch, k), labels));
    const normal = tf.sub(1, labels);
    const n = tf.div(tf.sum(tf.mul(binaryCrossEntropy(tf.mean(normalMatch, 1), tf.onesLike(labels)), normal)), tf.maximum(tf.sum(normal), 1));
    return tf.add(a, n) as tf.Scalar;
  });
}

import * as tf from '@tensorflow/tfjs-core';

/**
 * UnsortedSegmentSum (the gradient of gather, i.e. of embedding lookups) as ONE ScatterNd, which sums
 * duplicate indices. Ids outside [0, numSegments) are dropped (TensorFlow semantics) by routing them to a
 * spill segment that is cut off afterwards — the native scatter must never see an out-of-range index.
 */
export function unsortedSegmentSumOps(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  const n = segmentIds.size;
  const rest = x.shape.slice(segmentIds.rank);
  const width = rest.reduce((a, b) => a * b, 1);
  const ids = tf.reshape(segmentIds, [n]);
  const spill = tf.fill([n], numSegments, 'int32');
  const inRange = tf.logicalAnd(tf.greaterEqual(ids, tf.scalar(0, 'int32')), tf.less(ids, tf.scalar(numSegments, 'int32')));
  const target = tf.reshape(tf.where(inRange, ids, spill), [n, 1]);
  const summed = tf.scatterND(target, tf.reshape(x, [n, width]), [numSegments + 1, width]);
  return tf.reshape(tf.slice(summed, [0, 0], [numSegments, width]), [numSegments, ...rest]);
}

/**
 * Einsum as transposes, broadcast multiplies and sums along tfjs' own contraction path
 * (backend_util.getEinsumComputePath), i.e. the algorithm of the cpu kernel, but on native kernels.
 */
export function einsumOps(equation: string, operands: tf.Tensor[]): tf.Tensor {
  const u = tf.backend_util;
  const { allDims, summedDims, idDims } = u.decodeEinsumEquation(equation, operands.length);
  u.checkEinsumDimSizes(allDims.length, idDims, operands);
  const { path, steps } = u.getEinsumComputePath(summedDims, idDims);
  let out: tf.Tensor | null = null;
  let remaining = allDims.length;
  steps.forEach((step, i) => {
    for (const term of step) {
      const { permutationIndices, expandDims } = u.getEinsumPermutation(remaining, idDims[term]);
      let t = u.isIdentityPermutation(permutationIndices) ? operands[term] : tf.transpose(operands[term], permutationIndices);
      const shape = t.shape.slice();
      for (const axis of expandDims) shape.splice(axis, 0, 1);
      if (!tf.util.arraysEqual(t.shape, shape)) t = tf.reshape(t, shape);
      out = out === null ? t : tf.mul(t, out);
    }
    if (i < steps.length - 1) {
      if (path[i] >= 0) out = tf.sum(out as unknown as tf.Tensor, path[i] - (allDims.length - remaining));
      remaining--;
    }
  });
  if (out === null) throw new Error(`einsum: equation '${equation}' has no operands`);
  return out;
}

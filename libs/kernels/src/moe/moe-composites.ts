import * as tf from '@tensorflow/tfjs-core';

/** An int32 scalar: a JS number operand would promote int32 math to float32. */
const int = (n: number) => tf.scalar(n, 'int32');

// Pure-tfjs references of the MoE kernels. They run on any backend, define the semantics the cpu, wasm
// and WGSL kernels are tested against, and are the fallback where no kernel is registered.

/** Rows of `x` [T,d] in expert order: row r = x[rowSlots[r] / k], zero where rowSlots[r] = -1. */
export function dispatchComposite(x: tf.Tensor, rowSlots: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => {
    const filled = tf.greaterEqual(rowSlots, int(0));
    const token = tf.floorDiv(tf.maximum(rowSlots, int(0)), int(k));
    const rows = tf.gatherND(x, tf.expandDims(token, 1));
    return tf.mul(rows, tf.expandDims(tf.cast(filled, 'float32'), 1));
  });
}

/** out[t] = Σ_j weights[t,j] · expertOut[positions[t,j]], skipping positions of -1. */
export function combineComposite(expertOut: tf.Tensor, weights: tf.Tensor, positions: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const picked = tf.gatherND(expertOut, tf.expandDims(tf.maximum(positions, int(0)), -1)); // [T,k,h]
    const w = tf.mul(weights, tf.cast(tf.greaterEqual(positions, int(0)), 'float32'));
    return tf.sum(tf.mul(picked, tf.expandDims(w, -1)), 1);
  });
}

/** dWeights[t,j] = ⟨dy[t], expertOut[positions[t,j]]⟩, zero where positions[t,j] = -1. */
export function combineWeightGradComposite(dy: tf.Tensor, expertOut: tf.Tensor, positions: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const picked = tf.gatherND(expertOut, tf.expandDims(tf.maximum(positions, int(0)), -1)); // [T,k,h]
    const dots = tf.sum(tf.mul(picked, tf.expandDims(dy, 1)), -1);
    return tf.mul(dots, tf.cast(tf.greaterEqual(positions, int(0)), 'float32'));
  });
}

/** [rows, E] float one-hot of the expert owning each row (rows past offsets[E-1] belong to expert E-1). */
function rowExpertMask(offsets: tf.Tensor, rows: number, numExperts: number): tf.Tensor {
  if (numExperts === 1) return tf.ones([rows, 1]);
  const starts = tf.slice(offsets, [1], [numExperts - 1]);
  const r = tf.expandDims(tf.range(0, rows, 1, 'int32'), 1);
  const expert = tf.sum(tf.cast(tf.greaterEqual(r, tf.expandDims(starts, 0)), 'int32'), 1);
  // int32 then cast: the wasm OneHot kernel ignores dtype and writes int32 bits into a float32 tensor.
  return tf.cast(tf.oneHot(expert, numExperts, 1, 0, 'int32'), 'float32');
}

/** [rows, E*p]: each row's features placed in its expert's slot of an E-wide block row, zeros elsewhere. */
function spreadByExpert(a: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const [rows, p] = a.shape as [number, number];
  const E = mask.shape[1] as number;
  return tf.reshape(tf.mul(tf.expandDims(a, 1), tf.expandDims(mask, 2)), [rows, E * p]);
}

/**
 * Block e of x (rows offsets[e]..offsets[e+1]) times w[e] ([p,q], or w[e]ᵀ when transposeW). Computed
 * as one matmul of the expert-spread rows with the stacked weights: E× the FLOPs of the grouped kernels,
 * acceptable for a reference and fallback.
 */
export function groupedMatMulComposite(x: tf.Tensor, w: tf.Tensor, offsets: tf.Tensor, transposeW: boolean): tf.Tensor {
  return tf.tidy(() => {
    const wpq = transposeW ? tf.transpose(w, [0, 2, 1]) : w;
    const [E, p, q] = wpq.shape as [number, number, number];
    const spread = spreadByExpert(x, rowExpertMask(offsets, x.shape[0], E));
    return tf.matMul(spread, tf.reshape(wpq, [E * p, q]));
  });
}

/** [E, p, q] with block e = a_eᵀ · b_e over the rows of expert e. */
export function groupedMatMulWeightGradComposite(a: tf.Tensor, b: tf.Tensor, offsets: tf.Tensor, numExperts: number): tf.Tensor {
  return tf.tidy(() => {
    const p = a.shape[1] as number;
    const q = b.shape[1] as number;
    const spread = spreadByExpert(a, rowExpertMask(offsets, a.shape[0], numExperts));
    return tf.reshape(tf.matMul(spread, b, true, false), [numExperts, p, q]);
  });
}

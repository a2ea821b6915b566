import * as tf from '@tensorflow/tfjs-core';

/**
 * Token-level selection helpers shared by every token-choice router. Indices are int32 with -1 meaning "no
 * expert"; values at selected positions are read through a one-hot mask (T·k·E multiplies, tiny for E ≤ 64),
 * which is differentiable everywhere and never needs the gather gradient that wasm lacks.
 */

/**
 * Runs `fn` off the gradient tape: its result is a constant for backprop and `inputs` get a zero gradient.
 * For discrete decisions (comparisons, arg-max indices) whose ops have no gradient in tfjs (Greater, TopK
 * indices): on the tape they would make tf.grads throw even though no gradient should flow through them.
 */
export function detached<T extends tf.Tensor>(fn: (...xs: tf.Tensor[]) => T, ...inputs: tf.Tensor[]): T {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    // Shapes are captured now (inputs may be disposed intermediates when backprop runs); tfjs wants float32
    // gradients even for int32 inputs.
    const shapes = xs.map((x) => x.shape);
    return { value: fn(...xs), gradFunc: () => shapes.map((shape) => tf.zeros(shape, 'float32')) };
  });
  return f(...inputs) as T;
}

/** Indices [T, k] int32 of the k largest scores per row; a discrete choice, so detached from the tape. */
export function topKIndices(scores: tf.Tensor2D, k: number): tf.Tensor2D {
  return detached((s) => tf.topk(s, k).indices as tf.Tensor2D, scores);
}

/**
 * One-hot rows as float32 (all-zero for -1). Always cast rather than passing oneHot's dtype argument or
 * reducing the int32 result: tfjs-wasm 4.22 fills a float32 oneHot with integer bit patterns, and webgpu's
 * transpose shader (used by reductions over leading axes) fails to compile for int32 inputs.
 */
export function oneHotFloat(idx: tf.Tensor, n: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(idx, 'int32'), n), 'float32'));
}

/**
 * How often each id 0..n-1 occurs in `idx` [R, k] (-1 counts for none), each row weighted by `rowWeights`
 * [R] when given: a [n] float32 vector. A matMul with a ones/weights row instead of a sum over leading axes,
 * because webgpu's transpose (which such sums use) breaks on tensors cast from OneHot's int32 output.
 */
export function countIds(idx: tf.Tensor2D, n: number, rowWeights?: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [R, k] = idx.shape;
    const rows = tf.reshape(oneHotFloat(idx, n), [R * k, n]);
    const w = rowWeights ? tf.reshape(tf.tile(tf.reshape(rowWeights, [R, 1]), [1, k]), [1, R * k]) : tf.ones([1, R * k]);
    return tf.reshape(tf.matMul(w, rows), [n]) as tf.Tensor1D;
  });
}

/** out[t, j] = x[t, idx[t, j]], 0 where idx is -1. Differentiable in x. */
export function pickColumns(x: tf.Tensor2D, idx: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sum(tf.mul(oneHotFloat(idx, x.shape[1]), tf.expandDims(x, 1)), 2));
}

/** Dense [T, n] from sparse slots: out[t, e] = Σ_j w[t, j]·[idx[t, j] = e]. Differentiable in w. */
export function scatterColumns(idx: tf.Tensor2D, w: tf.Tensor2D, n: number): tf.Tensor2D {
  return tf.tidy(() => tf.sum(tf.mul(oneHotFloat(idx, n), tf.expandDims(w, 2)), 1));
}

/** Rows divided by their sum (rows summing to ~0 stay ~0 instead of becoming NaN). */
export function normalizeRows(w: tf.Tensor2D, eps = 1e-9): tf.Tensor2D {
  return tf.tidy(() => tf.div(w, tf.add(tf.sum(w, 1, true), eps)));
}

/** idx where `keep` is true, -1 elsewhere. */
export function maskIndices(idx: tf.Tensor2D, keep: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.where(keep, idx, tf.fill(idx.shape, -1, 'int32')));
}

/**
 * Identity in the forward pass, zero gradient in the backward pass (tfjs has no stop_gradient). Used where a
 * reference implementation detaches (AdaptDHM's embeddings under no_grad).
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detached((v) => tf.clone(v), x) as T;
}

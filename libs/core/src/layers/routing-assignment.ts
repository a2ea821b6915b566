import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from '../routers/selection.js';
import { tidyObject } from '../experts/tidy-object.js';
import type { Routing } from '../routers/router.js';

/**
 * Any routing decision in token-choice form — what the kernels' dispatch plan takes. Token choice passes
 * through; dense routing becomes "every token picks every expert"; expert choice becomes "token t picks
 * expert e when e chose t" with capacity C, which no expert exceeds (it chose exactly C tokens).
 */
export interface Assignment {
  /** [T, k'] int32 expert ids, -1 = none. */
  indices: tf.Tensor2D;
  /** [T, k'] float32 combine weights (differentiable: they carry the router's gradient). */
  weights: tf.Tensor2D;
}

/**
 * The assignment with padded tokens (`mask` [T] float32 = 0) sent to no expert: their ids become -1 and
 * their weights 0, so they take no capacity slot and add nothing to the output. Consumes `assignment`.
 */
export function maskAssignment(assignment: Assignment, mask: tf.Tensor1D): Assignment {
  const out = tidyObject(() => {
    const [T, k] = assignment.indices.shape;
    const real = tf.greater(tf.tile(tf.reshape(mask, [T, 1]), [1, k]), 0);
    return { indices: tf.where(real, assignment.indices, tf.fill([T, k], -1, 'int32')) as tf.Tensor2D, weights: tf.mul(assignment.weights, tf.expandDims(mask, 1)) as tf.Tensor2D };
  });
  tf.dispose([assignment.indices, assignment.weights]);
  return out;
}

/** Converts a routing result (not consumed) into an assignment; the caller disposes the result. */
export function toAssignment(routing: Routing, numTokens: number, numExperts: number): Assignment {
  return tidyObject(() => {
    switch (routing.mode) {
      case 'token-choice':
        return { indices: tf.clone(routing.indices), weights: tf.clone(routing.weights) };
      case 'dense': {
        const row = tf.reshape(tf.range(0, numExperts, 1, 'int32'), [1, numExperts]);
        return { indices: tf.tile(row, [numTokens, 1]) as tf.Tensor2D, weights: tf.clone(routing.weights) };
      }
      case 'expert-choice':
        return expertChoiceAssignment(routing.tokenIndices, routing.weights, numTokens);
    }
  });
}

/**
 * [E, C] token choices → [T, E]. Built from a 2-D one-hot over tokens and a block matrix (E·C·T work;
 * fine for layer-sized batches) rather than a scatter, whose gradient is missing on wasm and very slow on
 * cpu, and without rank-3 reductions of integer data, which tfjs-webgpu 4.22 miscompiles (its transpose of
 * int32 — or cast-from-int32 — rank-3 tensors fails WGSL validation).
 */
function expertChoiceAssignment(tokenIndices: tf.Tensor2D, weights: tf.Tensor2D, numTokens: number): Assignment {
  const [e, c] = tokenIndices.shape;
  const oneHot = oneHotFloat(tf.reshape(tokenIndices, [e * c]), numTokens); // [E·C, T]
  // block[e, e·C + j] = 1: sums each expert's C rows.
  const block = tf.tile(tf.reshape(tf.eye(e), [e, e, 1]), [1, 1, c]);
  const blockOnes = tf.reshape(block, [e, e * c]);
  const chosen = tf.transpose(tf.matMul(blockOnes, oneHot)); // [T, E]
  const w = tf.transpose(tf.matMul(tf.mul(blockOnes, tf.reshape(weights, [1, e * c])), oneHot)); // [T, E]
  const ids = tf.tile(tf.reshape(tf.range(0, e, 1, 'int32'), [1, e]), [numTokens, 1]);
  const indices = tf.where(tf.greater(chosen, 0), ids, tf.fill([numTokens, e], -1, 'int32'));
  return { indices: indices as tf.Tensor2D, weights: w as tf.Tensor2D };
}

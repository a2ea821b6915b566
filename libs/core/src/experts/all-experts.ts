import * as tf from '@tensorflow/tfjs-core';
import { computeDispatchPlan, disposeDispatchPlan, type DispatchPlan } from '@moe/kernels';
import type { ExpertBank } from './expert-bank.js';

/**
 * A plan in which each of E experts owns T consecutive rows (block e = rows e·T … (e+1)·T − 1): the layout
 * of "every expert on every token" (dense gates, multi-task blocks). Only its offsets are used, so the
 * buffer can be assembled directly in expert-major token order.
 */
export function uniformPlan(numTokens: number, numExperts: number): DispatchPlan {
  const ids = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, numExperts, 1, 'int32'), [1, numExperts]), [numTokens, 1]) as tf.Tensor2D);
  try {
    return computeDispatchPlan(ids, numExperts);
  } finally {
    ids.dispose();
  }
}

/**
 * Runs every expert of `bank` on every token in one grouped pass and returns [E, T, outputDim]. `inputs` is
 * one [T, d] tensor that all experts see, or one per expert (PLE/HoME levels, where shared and task experts
 * read different streams; HoME's feature gates privatise each expert's input).
 */
export function applyAllExperts(bank: ExpertBank, inputs: tf.Tensor2D | tf.Tensor2D[]): tf.Tensor3D {
  const E = bank.numExperts;
  const list = Array.isArray(inputs) ? inputs : undefined;
  if (list && list.length !== E) throw new Error(`applyAllExperts: inputs must be one tensor or ${E} (one per expert); got ${list.length}`);
  const T = (list ? list[0] : (inputs as tf.Tensor2D)).shape[0];
  if (list) {
    for (const [i, t] of list.entries()) {
      if (t.rank !== 2 || t.shape[0] !== T || t.shape[1] !== bank.inputDim) throw new Error(`applyAllExperts: inputs[${i}] must have shape [${T}, ${bank.inputDim}]; got [${t.shape}]`);
    }
  }
  const plan = uniformPlan(T, E);
  try {
    return tf.tidy(() => {
      const buffer = list ? tf.concat(list.map((t) => bank.preDispatch(t))) : tf.tile(bank.preDispatch(inputs as tf.Tensor2D), [E, 1]);
      return tf.reshape(bank.forwardGrouped(buffer as tf.Tensor2D, plan), [E, T, bank.outputDim]) as tf.Tensor3D;
    });
  } finally {
    disposeDispatchPlan(plan);
  }
}

/** Σ_e weights[t, e] · expertOutputs[e, t, :] → [T, o]; weights [T, E] (zero where a gate does not see an expert). */
export function mixExperts(expertOutputs: tf.Tensor3D, weights: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sum(tf.mul(tf.expandDims(tf.transpose(weights), 2), expertOutputs), 0) as tf.Tensor2D);
}

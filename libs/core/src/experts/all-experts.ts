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
 * one [T, d] tensor that all experts see, one per expert ([T, d] each), or an expert-major [E, T, d] stack
 * (PLE/HoME levels, where shared and task experts read different streams; HoME's feature gates privatise
 * each expert's input).
 */
export function applyAllExperts(bank: ExpertBank, inputs: tf.Tensor2D | tf.Tensor3D | tf.Tensor2D[]): tf.Tensor3D {
  const E = bank.numExperts;
  const d = bank.inputDim;
  const T = checkExpertInputs('applyAllExperts', E, d, inputs);
  const plan = uniformPlan(T, E);
  try {
    return tf.tidy(() => {
      let buffer: tf.Tensor2D;
      if (Array.isArray(inputs)) buffer = tf.concat(inputs.map((t) => bank.preDispatch(t)));
      else if (inputs.rank === 3) buffer = bank.preDispatch(tf.reshape(inputs, [E * T, d]) as tf.Tensor2D);
      else buffer = tf.tile(bank.preDispatch(inputs as tf.Tensor2D), [E, 1]);
      return tf.reshape(bank.forwardGrouped(buffer, plan), [E, T, bank.outputDim]) as tf.Tensor3D;
    });
  } finally {
    disposeDispatchPlan(plan);
  }
}

/**
 * Validates the inputs of an every-expert-on-every-token pass (one [T, d] tensor, one per expert, or an
 * [E, T, d] stack) and returns T.
 */
export function checkExpertInputs(owner: string, E: number, d: number, inputs: tf.Tensor2D | tf.Tensor3D | tf.Tensor2D[]): number {
  if (Array.isArray(inputs)) {
    if (inputs.length !== E) throw new Error(`${owner}: inputs must be one tensor or ${E} (one per expert); got ${inputs.length}`);
    const T = inputs[0].shape[0];
    for (const [i, t] of inputs.entries()) {
      if (t.rank !== 2 || t.shape[0] !== T || t.shape[1] !== d) throw new Error(`${owner}: inputs[${i}] must have shape [${T}, ${d}]; got [${t.shape}]`);
    }
    return T;
  }
  if (inputs.rank === 3) {
    if (inputs.shape[0] !== E || inputs.shape[2] !== d) throw new Error(`${owner}: inputs must have shape [${E}, T, ${d}]; got [${inputs.shape}]`);
    return inputs.shape[1];
  }
  if (inputs.rank !== 2 || inputs.shape[1] !== d) throw new Error(`${owner}: inputs must have shape [T, ${d}]; got [${inputs.shape}]`);
  return inputs.shape[0];
}

/** Σ_e weights[t, e] · expertOutputs[e, t, :] → [T, o]; weights [T, E] (zero where a gate does not see an expert). */
export function mixExperts(expertOutputs: tf.Tensor3D, weights: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sum(tf.mul(tf.expandDims(tf.transpose(weights), 2), expertOutputs), 0) as tf.Tensor2D);
}

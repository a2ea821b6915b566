import * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from './dispatch-plan.js';
import { MOE_COMBINE, MOE_COMBINE_WEIGHT_GRAD, MOE_DISPATCH, MOE_GROUPED_MATMUL, MOE_GROUPED_MATMUL_WEIGHT_GRAD } from './kernel-names.js';
import { combineComposite, combineWeightGradComposite, dispatchComposite, groupedMatMulComposite, groupedMatMulWeightGradComposite } from './moe-composites.js';
import { runKernelOrComposite } from '../util/kernel-or-composite.js';
import { checkDim, checkTensor } from '../util/check-args.js';

function checkPlan(op: string, plan: DispatchPlan): void {
  if (plan == null || !(plan.positions instanceof tf.Tensor) || !(plan.rowSlots instanceof tf.Tensor)) {
    throw new Error(`${op}: plan must be a DispatchPlan from computeDispatchPlan; got ${plan == null ? String(plan) : 'an object without positions/rowSlots tensors'}`);
  }
  if (plan.positions.isDisposed || plan.rowSlots.isDisposed) throw new Error(`${op}: plan has been disposed`);
}

/**
 * Copies token rows into expert-contiguous order: [T, d] → [plan.rows, d]; row r holds the token of slot
 * plan.rowSlots[r], rows nobody fills are zero. Gradient: each token receives the sum of its k copies'
 * gradients (dropped copies contribute zero).
 */
export function dispatch(x: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D {
  checkPlan('dispatch', plan);
  checkTensor('dispatch', 'x', x, 2, 'float32');
  checkDim('dispatch', 'x', x, 0, plan.numTokens, 'plan.numTokens');
  return runKernelOrComposite(MOE_DISPATCH, { x, rowSlots: plan.rowSlots, positions: plan.positions }, { k: plan.k },
    (i) => dispatchComposite(i.x, i.rowSlots, plan.k)) as tf.Tensor2D;
}

/**
 * Weighted sum of each token's expert outputs: out[t] = Σ_j weights[t,j] · expertOut[plan.positions[t,j]]
 * ([plan.rows, h] → [T, h]); dropped or unrouted slots (position -1) contribute zero. Differentiable in
 * expertOut and weights.
 */
export function combine(expertOut: tf.Tensor2D, weights: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D {
  checkPlan('combine', plan);
  checkTensor('combine', 'expertOut', expertOut, 2, 'float32');
  checkDim('combine', 'expertOut', expertOut, 0, plan.rows, 'plan.rows');
  checkTensor('combine', 'weights', weights, 2, 'float32');
  checkDim('combine', 'weights', weights, 0, plan.numTokens, 'plan.numTokens');
  checkDim('combine', 'weights', weights, 1, plan.k, 'plan.k');
  return combineRaw(expertOut, weights, plan.positions, plan.rowSlots) as tf.Tensor2D;
}

/** combine without argument checks, on raw plan tensors (used by gradients). */
export function combineRaw(expertOut: tf.Tensor, weights: tf.Tensor, positions: tf.Tensor, rowSlots: tf.Tensor): tf.Tensor {
  return runKernelOrComposite(MOE_COMBINE, { expertOut, weights, positions, rowSlots }, {},
    (i) => combineComposite(i.expertOut, i.weights, i.positions));
}

/** dispatch without argument checks, on raw plan tensors (used by gradients). */
export function dispatchRaw(x: tf.Tensor, rowSlots: tf.Tensor, positions: tf.Tensor, k: number): tf.Tensor {
  return runKernelOrComposite(MOE_DISPATCH, { x, rowSlots, positions }, { k }, (i) => dispatchComposite(i.x, i.rowSlots, k));
}

/** [T, k]: ⟨dy[t], expertOut[positions[t,j]]⟩ (the gradient of combine with respect to its weights). */
export function combineWeightGrad(dy: tf.Tensor, expertOut: tf.Tensor, positions: tf.Tensor): tf.Tensor {
  return runKernelOrComposite(MOE_COMBINE_WEIGHT_GRAD, { dy, expertOut, positions }, {},
    (i) => combineWeightGradComposite(i.dy, i.expertOut, i.positions));
}

/** Options of {@link groupedMatMul}. */
export interface GroupedMatMulOptions {
  /** Use w[e]ᵀ: w is [E, h, d] instead of [E, d, h]. */
  transposeW?: boolean;
}

/**
 * One call multiplying each expert's block of rows by that expert's weight: x [rows, d], w [E, d, h] →
 * [rows, h], where block e is rows offsets[e]..offsets[e+1] (a plan's `offsets`, or the plan itself).
 * Gradients for x and w.
 */
export function groupedMatMul(x: tf.Tensor2D, w: tf.Tensor3D, planOrOffsets: DispatchPlan | tf.Tensor1D, options: GroupedMatMulOptions = {}): tf.Tensor2D {
  const op = 'groupedMatMul';
  const offsets = planOrOffsets instanceof tf.Tensor ? planOrOffsets : planOrOffsets?.offsets;
  if (!(offsets instanceof tf.Tensor)) throw new Error(`${op}: planOrOffsets must be a DispatchPlan or an int32 offsets tensor [E+1]; got ${String(planOrOffsets)}`);
  checkTensor(op, 'offsets', offsets, 1, 'int32');
  checkTensor(op, 'x', x, 2, 'float32');
  checkTensor(op, 'w', w, 3, 'float32');
  const transposeW = options.transposeW ?? false;
  checkDim(op, 'offsets', offsets, 0, w.shape[0] + 1, 'number of experts in w + 1');
  checkDim(op, 'w', w, transposeW ? 2 : 1, x.shape[1], 'columns of x');
  if (!(planOrOffsets instanceof tf.Tensor)) checkDim(op, 'x', x, 0, planOrOffsets.rows, 'plan.rows');
  return groupedMatMulRaw(x, w, offsets, transposeW) as tf.Tensor2D;
}

/** groupedMatMul without argument checks (used by gradients). */
export function groupedMatMulRaw(x: tf.Tensor, w: tf.Tensor, offsets: tf.Tensor, transposeW: boolean): tf.Tensor {
  return runKernelOrComposite(MOE_GROUPED_MATMUL, { x, w, offsets }, { transposeW },
    (i) => groupedMatMulComposite(i.x, i.w, i.offsets, transposeW));
}

/** [E, p, q]: block e = a_eᵀ · b_e over expert e's rows (the weight gradient of groupedMatMul). */
export function groupedMatMulWeightGrad(a: tf.Tensor, b: tf.Tensor, offsets: tf.Tensor): tf.Tensor {
  return runKernelOrComposite(MOE_GROUPED_MATMUL_WEIGHT_GRAD, { a, b, offsets }, {},
    (i) => groupedMatMulWeightGradComposite(i.a, i.b, i.offsets, offsets.shape[0] - 1));
}

import * as tf from '@tensorflow/tfjs-core';
import { MOE_COMBINE, MOE_DISPATCH, MOE_DISPATCH_PLAN, MOE_GROUPED_MATMUL } from './kernel-names.js';
import { combineRaw, combineWeightGrad, dispatchRaw, groupedMatMulRaw, groupedMatMulWeightGrad } from './moe-ops.js';

/** Integer inputs (router ids, plan tables) carry no gradient; autodiff still wants a float zero. */
const noGradient = (t: tf.Tensor) => () => tf.zeros(t.shape, 'float32');

/** Gradients of the MoE kernels; also used by the composite fallbacks (see runKernelOrComposite). */
export function registerMoeGradients(): void {
  tf.registerGradient({
    kernelName: MOE_DISPATCH_PLAN,
    inputsToSave: ['indices'],
    gradFunc: (_dy, [indices]) => ({ indices: noGradient(indices) }),
  });
  tf.registerGradient({
    kernelName: MOE_DISPATCH,
    inputsToSave: ['rowSlots', 'positions'],
    // Backward of a row copy = gather each token's k copies back by position and sum them.
    gradFunc: (dy, [rowSlots, positions]) => ({
      x: () => combineRaw(dy as tf.Tensor, tf.ones(positions.shape), positions, rowSlots),
      rowSlots: noGradient(rowSlots),
      positions: noGradient(positions),
    }),
  });
  tf.registerGradient({
    kernelName: MOE_COMBINE,
    inputsToSave: ['expertOut', 'weights', 'positions', 'rowSlots'],
    gradFunc: (dy, [expertOut, weights, positions, rowSlots]) => ({
      // Row r gets weight(slot r) · dy[token of slot r]: a dispatch of dy scaled per row.
      expertOut: () => {
        const [T, k] = weights.shape;
        const filled = tf.cast(tf.greaterEqual(rowSlots, tf.scalar(0, 'int32')), 'float32');
        const rowWeight = tf.mul(tf.gather(tf.reshape(weights, [T * k]), tf.maximum(rowSlots, tf.scalar(0, 'int32'))), filled);
        return tf.mul(dispatchRaw(dy as tf.Tensor, rowSlots, positions, k), tf.expandDims(rowWeight, 1));
      },
      weights: () => combineWeightGrad(dy as tf.Tensor, expertOut, positions),
      positions: noGradient(positions),
      rowSlots: noGradient(rowSlots),
    }),
  });
  tf.registerGradient({
    kernelName: MOE_GROUPED_MATMUL,
    inputsToSave: ['x', 'w', 'offsets'],
    gradFunc: (dy, [x, w, offsets], attrs) => {
      const transposeW = Boolean((attrs as { transposeW?: boolean }).transposeW);
      const g = dy as tf.Tensor;
      return {
        // y = x·W  ⇒ dx = dy·Wᵀ, dW = xᵀ·dy;   y = x·Wᵀ ⇒ dx = dy·W, dW = dyᵀ·x (per expert block).
        x: () => groupedMatMulRaw(g, w, offsets, !transposeW),
        w: () => (transposeW ? groupedMatMulWeightGrad(g, x, offsets) : groupedMatMulWeightGrad(x, g, offsets)),
        offsets: noGradient(offsets),
      };
    },
  });
}

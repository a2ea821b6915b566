import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs registers no gradient for TopK, so any loss whose tape passes through tf.topk (even one that only
 * uses the indices) throws. d values / d x scatters each value's gradient back to the position it came
 * from; the indices output is integer and contributes nothing.
 */
export function registerTopKGradient(): void {
  tf.registerGradient({
    kernelName: tf.TopK,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [x, indices] = saved;
      const dValues = Array.isArray(dy) ? dy[0] : dy;
      const n = x.shape[x.shape.length - 1] as number;
      return {
        // int32 then cast: the wasm OneHot kernel ignores dtype (writes int32 bits into a float32 tensor).
        x: () => tf.sum(tf.mul(tf.cast(tf.oneHot(indices, n, 1, 0, 'int32'), 'float32'), tf.expandDims(dValues, -1)), -2),
      };
    },
  });
}

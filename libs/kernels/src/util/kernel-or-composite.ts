import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `kernelName` through the engine when the active backend has a kernel for it (so the registered
 * gradient applies), otherwise computes `composite` (pure tfjs ops) wrapped in `tf.customGrad` with the
 * SAME registered gradient. The composite therefore never falls back to tfjs' own gradients of gather
 * (UnsortedSegmentSum, missing on wasm) and differentiates exactly like the kernel. Kernels with no
 * registered gradient (those used only inside other gradients) run the composite as is.
 */
export function runKernelOrComposite(
  kernelName: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, number | boolean>,
  composite: (inputs: Record<string, tf.Tensor>) => tf.Tensor,
): tf.Tensor {
  if (tf.getKernel(kernelName, tf.getBackend()) != null) {
    return tf.engine().runKernel(kernelName, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return runComposite(kernelName, inputs, attrs, composite);
}

/** The composite path alone (tests compare it with the kernels on the same backend). */
export function runComposite(
  kernelName: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, number | boolean>,
  composite: (inputs: Record<string, tf.Tensor>) => tf.Tensor,
): tf.Tensor {
  const grad = tf.getGradient(kernelName);
  // Kernels that only appear inside gradients (no second-order support) have no gradient of their own.
  if (grad == null) return tf.tidy(() => composite(inputs));
  const names = Object.keys(inputs);
  const toSave = grad.inputsToSave ?? [];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[names.length] as tf.GradSaveFunc;
    const xs = args.slice(0, names.length) as tf.Tensor[];
    const byName: Record<string, tf.Tensor> = {};
    names.forEach((n, i) => { byName[n] = xs[i]; });
    save(toSave.map((n) => byName[n]));
    return {
      value: composite(byName),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = grad.gradFunc(dy, saved, attrs as unknown as tf.NamedAttrMap);
        return names.map((n) => g[n]());
      },
    };
  });
  return (f as (...xs: tf.Tensor[]) => tf.Tensor)(...names.map((n) => inputs[n]));
}

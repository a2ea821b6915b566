import * as tf from '@tensorflow/tfjs-core';

/**
 * Turns a computation that reads module variables into a function of those variables, so a gradient check
 * written for explicit inputs (`checkGradients(f, inputs)` of @moe/testing) can check parameter gradients:
 * `f(...ws)` assigns each w that is not the variable itself (finite-difference probes) before running `body`.
 * `restore()` puts the original values back and must be called after the check.
 */
export function variablesAsInputs(variables: tf.Variable[], body: () => tf.Tensor): { f: (...ws: tf.Tensor[]) => tf.Tensor; restore: () => void } {
  const snapshot = variables.map((v) => tf.clone(v));
  const f = (...ws: tf.Tensor[]): tf.Tensor => {
    ws.forEach((w, i) => {
      if (w !== variables[i]) variables[i].assign(w);
    });
    return body();
  };
  const restore = (): void => {
    variables.forEach((v, i) => v.assign(snapshot[i]));
    tf.dispose(snapshot);
  };
  return { f, restore };
}

import * as tf from '@tensorflow/tfjs-core';
import { expectGradientsClose, resolveGradientTolerance, type GradientTolerance } from './gradient-compare.js';
import { sampleCoordinates } from './gradient-check.js';

/** Options of {@link checkVariableGradients}. */
export interface VariableGradientCheckOptions extends GradientTolerance {
  /** Finite-difference step (default 1e-2). */
  eps?: number;
  /** Check at most this many coordinates per variable, chosen evenly (default 8). */
  maxCoordinates?: number;
}

/**
 * Compares `tf.variableGrads(loss, vars)` with central finite differences obtained by perturbing each
 * variable in place (restored afterwards) — the parameter-side twin of {@link checkGradients}, which perturbs
 * explicit inputs, with the same component-wise comparison (relative error above a floor). The step is the one
 * the float32 perturbation really made. `loss` must be deterministic. Throws naming the variable and element
 * that disagree.
 */
export async function checkVariableGradients(loss: () => tf.Scalar, vars: tf.Variable[], options: VariableGradientCheckOptions = {}): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const maxCoords = options.maxCoordinates ?? 8;
  const tol = resolveGradientTolerance('checkVariableGradients', options);
  const { value, grads } = tf.variableGrads(loss, vars);
  value.dispose();
  try {
    for (const v of vars) {
      const base = Float32Array.from(await v.data());
      const analytic = await grads[v.name].data();
      const coords = sampleCoordinates(base.length, maxCoords);
      const picked: number[] = [];
      const numeric: number[] = [];
      const lossWith = async (c: number, at: number): Promise<number> => {
        const values = base.slice();
        values[c] = at;
        tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
        const l = tf.tidy(loss);
        const out = (await l.data())[0];
        l.dispose();
        return out;
      };
      try {
        for (const c of coords) {
          const plus = Math.fround(base[c] + eps);
          const minus = Math.fround(base[c] - eps);
          numeric.push(((await lossWith(c, plus)) - (await lossWith(c, minus))) / (plus - minus));
          picked.push(analytic[c]);
        }
      } finally {
        tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
      }
      expectGradientsClose(picked, numeric, coords, tol, `gradient of variable ${v.name} [${v.shape}]`);
    }
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/**
 * Turns a computation that reads variables into a function of those variables, so `checkGradients(f, inputs)`
 * can check parameter and input gradients together: `f(...ws)` assigns each w that is not the variable itself
 * (a finite-difference probe) before running `body`. Call `restore()` after the check.
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

/** Overwrites every variable with seeded values in [-scale, scale] (zero-initialised adapters otherwise give zero gradients). */
export function randomizeVariables(vars: Iterable<tf.Variable> | Map<string, tf.Variable>, seed = 7, scale = 0.5): void {
  let i = 0;
  const list = vars instanceof Map ? vars.values() : vars;
  for (const v of list) tf.tidy(() => v.assign(tf.randomUniform(v.shape, -scale, scale, 'float32', seed + i++)));
}

import * as tf from '@tensorflow/tfjs-core';
import { expectClose, type Tolerance } from './close.js';

/** Options of {@link checkVariableGradients}. */
export interface VariableGradientCheckOptions extends Tolerance {
  /** Finite-difference step (default 1e-2). */
  eps?: number;
  /** Check at most this many coordinates per variable, chosen evenly (default 8). */
  maxCoordinates?: number;
}

/**
 * Compares `tf.variableGrads(loss, vars)` with central finite differences obtained by perturbing each
 * variable in place (restored afterwards) — the parameter-side twin of {@link checkGradients}, which perturbs
 * explicit inputs. `loss` must be deterministic. Throws naming the variable that disagrees.
 */
export async function checkVariableGradients(loss: () => tf.Scalar, vars: tf.Variable[], options: VariableGradientCheckOptions = {}): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const maxCoords = options.maxCoordinates ?? 8;
  const { value, grads } = tf.variableGrads(loss, vars);
  value.dispose();
  try {
    for (const v of vars) {
      const base = Float32Array.from(await v.data());
      const analytic = await grads[v.name].data();
      const step = Math.max(1, Math.floor(base.length / maxCoords));
      const picked: number[] = [];
      const numeric: number[] = [];
      const lossWith = async (values: Float32Array): Promise<number> => {
        tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
        const l = tf.tidy(loss);
        const out = (await l.data())[0];
        l.dispose();
        return out;
      };
      try {
        for (let c = 0; c < base.length && picked.length < maxCoords; c += step) {
          const plus = base.slice();
          plus[c] += eps;
          const minus = base.slice();
          minus[c] -= eps;
          numeric.push(((await lossWith(plus)) - (await lossWith(minus))) / (2 * eps));
          picked.push(analytic[c]);
        }
      } finally {
        tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
      }
      await expectClose(picked, numeric, { atol: options.atol ?? 2e-2, rtol: options.rtol ?? 2e-2 }, `gradient of variable ${v.name} [${v.shape}]`);
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

// Test support for this package's specs (not exported): finite-difference checks of gradients with respect
// to a module's VARIABLES, which @moe/testing's checkGradients (inputs only) cannot perturb. Kept free of
// test-framework imports so it satisfies the platform-neutral boundary of libs/core/src.
import * as tf from '@tensorflow/tfjs-core';

export async function checkVariableGradients(loss: () => tf.Scalar, vars: tf.Variable[], options: { eps?: number; maxCoordinates?: number; atol?: number; rtol?: number } = {}): Promise<void> {
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
      for (let c = 0; c < base.length && picked.length < maxCoords; c += step) {
        const at = async (delta: number) => {
          const shifted = base.slice();
          shifted[c] += delta;
          tf.tidy(() => v.assign(tf.tensor(shifted, v.shape)));
          const l = tf.tidy(loss);
          const value = (await l.data())[0];
          l.dispose();
          return value;
        };
        numeric.push(((await at(eps)) - (await at(-eps))) / (2 * eps));
        picked.push(analytic[c]);
        tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
      }
      const atol = options.atol ?? 2e-2;
      const rtol = options.rtol ?? 2e-2;
      picked.forEach((a, i) => {
        const e = numeric[i];
        if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
          throw new Error(`gradient of variable ${v.name} [${v.shape}]: checked coordinate #${i} is ${a}, finite differences give ${e} (atol ${atol}, rtol ${rtol})`);
        }
      });
    }
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/** Overwrites every variable of a module with seeded values in [-scale, scale] (zero-initialised adapters otherwise give zero gradients). */
export function randomizeVariables(vars: Map<string, tf.Variable>, seed = 7, scale = 0.5): void {
  let i = 0;
  for (const v of vars.values()) tf.tidy(() => v.assign(tf.randomUniform(v.shape, -scale, scale, 'float32', seed + i++)));
}

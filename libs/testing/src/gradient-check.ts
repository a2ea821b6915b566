import * as tf from '@tensorflow/tfjs-core';
import { expectClose, type Tolerance } from './close.js';

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions extends Tolerance {
  /** Finite-difference step (default 1e-2: float32 central differences are exact to O(eps²) for smooth f). */
  eps?: number;
  /** Check at most this many coordinates per input, chosen evenly (default 24) to bound cost. */
  maxCoordinates?: number;
  /** Weight the scalar loss as sum(f(x) * w) with fixed random w, so every output element matters. Default true. */
  randomProjection?: boolean;
}

/**
 * Compares the autodiff gradient of a scalar projection of `f` with central finite differences, for each
 * input. `f` must be deterministic (no dropout or noise unless seeded identically on every call).
 * Throws naming the input and coordinate that disagrees.
 */
export async function checkGradients(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: GradientCheckOptions = {},
): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const maxCoords = options.maxCoordinates ?? 24;
  const probe = tf.tidy(() => f(...inputs));
  const weights = options.randomProjection === false ? tf.onesLike(probe) : tf.randomUniform(probe.shape, 0.5, 1.5, 'float32', 1234);
  probe.dispose();
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights));
  try {
    const grads = tf.grads(loss)(inputs);
    try {
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i];
        const base = Float32Array.from(await x.data());
        const n = base.length;
        const step = Math.max(1, Math.floor(n / maxCoords));
        const coords: number[] = [];
        for (let c = 0; c < n && coords.length < maxCoords; c += step) coords.push(c);
        const analytic = await grads[i].data();
        const numeric: number[] = [];
        const picked: number[] = [];
        for (const c of coords) {
          const at = async (delta: number): Promise<number> => {
            const shifted = base.slice();
            shifted[c] += delta;
            const out = tf.tidy(() => {
              const xs = inputs.map((t, j) => (j === i ? tf.tensor(shifted, x.shape, x.dtype) : t));
              return loss(...xs);
            });
            const v = (await out.data())[0];
            out.dispose();
            return v;
          };
          numeric.push(((await at(eps)) - (await at(-eps))) / (2 * eps));
          picked.push(analytic[c]);
        }
        await expectClose(picked, numeric, { atol: options.atol ?? 2e-2, rtol: options.rtol ?? 2e-2 }, `gradient of input ${i} (coordinates ${coords.slice(0, 4).join(',')}…)`);
      }
    } finally {
      grads.forEach((g) => g.dispose());
    }
  } finally {
    weights.dispose();
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { expectGradientsClose, resolveGradientTolerance, type GradientTolerance } from './gradient-compare.js';

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions extends GradientTolerance {
  /** Finite-difference step (default 1e-2: float32 central differences are exact to O(eps²) for smooth f). */
  eps?: number;
  /** Check at most this many coordinates per input, chosen evenly (default 24) to bound cost. */
  maxCoordinates?: number;
  /** Weight the scalar loss as sum(f(x) * w) with fixed random w, so every output element matters. Default true. */
  randomProjection?: boolean;
}

/** Evenly spaced coordinates 0, step, 2·step, … of a tensor with n elements, at most `max` of them. */
export function sampleCoordinates(n: number, max: number): number[] {
  const step = Math.max(1, Math.floor(n / max));
  const coords: number[] = [];
  for (let c = 0; c < n && coords.length < max; c += step) coords.push(c);
  return coords;
}

/**
 * Compares the autodiff gradient of the scalar projection Σ f(x)·w with central finite differences, for
 * each input, component by component (see {@link GradientTolerance}: relative error above a floor).
 * The finite differences read f(x ± eps) back and project them in float64 on the host, with the step the
 * float32 perturbation really made, so float32 rounding of a large sum does not swamp small components.
 * `f` must be deterministic (no dropout or noise unless seeded identically on every call).
 * Throws naming the input and the coordinate that disagrees.
 */
export async function checkGradients(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: GradientCheckOptions = {},
): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const maxCoords = options.maxCoordinates ?? 24;
  const tol = resolveGradientTolerance('checkGradients', options);
  const probe = tf.tidy(() => f(...inputs));
  const weights = options.randomProjection === false ? tf.onesLike(probe) : tf.randomUniform(probe.shape, 0.5, 1.5, 'float32', 1234);
  probe.dispose();
  const w = await weights.data();
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights));
  try {
    const grads = tf.grads(loss)(inputs);
    try {
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i];
        const base = Float32Array.from(await x.data());
        const coords = sampleCoordinates(base.length, maxCoords);
        const analytic = await grads[i].data();
        const numeric: number[] = [];
        const picked: number[] = [];
        const outputAt = async (c: number, value: number): Promise<Float32Array> => {
          const shifted = base.slice();
          shifted[c] = value;
          const out = tf.tidy(() => f(...inputs.map((t, j) => (j === i ? tf.tensor(shifted, x.shape, x.dtype) : t))));
          const v = Float32Array.from(await out.data());
          out.dispose();
          return v;
        };
        for (const c of coords) {
          const plus = Math.fround(base[c] + eps);
          const minus = Math.fround(base[c] - eps);
          const [yPlus, yMinus] = [await outputAt(c, plus), await outputAt(c, minus)];
          let diff = 0;
          for (let j = 0; j < w.length; j++) diff += w[j] * (yPlus[j] - yMinus[j]);
          numeric.push(diff / (plus - minus));
          picked.push(analytic[c]);
        }
        // One more call at the unshifted values: when `f` writes its inputs into variables (variablesAsInputs),
        // the last probe would otherwise stay behind and the later inputs would be probed at a shifted point.
        tf.dispose(tf.tidy(() => f(...inputs.map((t, j) => (j === i ? tf.tensor(base, x.shape, x.dtype) : t)))));
        expectGradientsClose(picked, numeric, coords, tol, `gradient of input ${i} [${x.shape}]`);
      }
    } finally {
      grads.forEach((g) => g.dispose());
    }
  } finally {
    weights.dispose();
  }
}

import * as tf from '@tensorflow/tfjs-core';

/** Element-wise tolerance of {@link expectClose}: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
}

/** Reads a tensor (or array) as a flat Float64 array; async so it works for webgpu tensors in Node. */
export async function values(x: tf.Tensor | ArrayLike<number>): Promise<Float64Array> {
  return Float64Array.from(x instanceof tf.Tensor ? await x.data() : x);
}

/**
 * Fails with the worst element (index, actual, expected) when |a - e| > atol + rtol * |e| anywhere, or when
 * shapes differ. NaN in either side is a failure.
 */
export async function expectClose(actual: tf.Tensor | ArrayLike<number>, expected: tf.Tensor | ArrayLike<number>, tol: Tolerance = {}, label = 'tensor'): Promise<void> {
  const atol = tol.atol ?? 1e-5;
  const rtol = tol.rtol ?? 1e-4;
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor && !tf.util.arraysEqual(actual.shape, expected.shape)) {
    throw new Error(`${label}: shape [${actual.shape}] differs from expected [${expected.shape}]`);
  }
  const a = await values(actual);
  const e = await values(expected);
  if (a.length !== e.length) throw new Error(`${label}: ${a.length} elements, expected ${e.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
      if (Number.isNaN(excess)) break;
    }
  }
  if (worst >= 0) {
    throw new Error(`${label}: element ${worst} is ${a[worst]}, expected ${e[worst]} (|diff| ${Math.abs(a[worst] - e[worst]).toExponential(3)} > atol ${atol} + rtol ${rtol}·|expected|)`);
  }
}

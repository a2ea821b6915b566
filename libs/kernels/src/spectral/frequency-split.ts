import * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from '../util/check-args.js';

/**
 * Half-width of the kept square of frequencies for a cut-off ratio, as Earth-Adapter computes it:
 * k = ⌊min(H, W)·ratio / 2⌋, keeping frequencies −k … k−1 on each axis (k = 0 keeps nothing).
 */
export function lowPassHalfWidth(height: number, width: number, cutoff: number): number {
  return Math.floor((Math.min(height, width) * cutoff) / 2);
}

/**
 * The 1-D ortho operator A = IFFT · ifftshift · diag(mask) · fftshift · FFT as [Re A; Im A] stacked into a
 * [2n, n] matrix: A[a, b] = (1/n) Σ_{f=−k}^{k−1} exp(2πi·f·(a − b)/n).
 */
function lowPassOperator(n: number, k: number): tf.Tensor2D {
  const m = new Float32Array(2 * n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let re = 0;
      let im = 0;
      for (let f = -k; f < k; f++) {
        const phase = (2 * Math.PI * f * (a - b)) / n;
        re += Math.cos(phase);
        im += Math.sin(phase);
      }
      m[a * n + b] = re / n;
      m[(n + a) * n + b] = im / n;
    }
  }
  return tf.tensor2d(m, [2 * n, n]);
}

/** The two bands {@link frequencySplit} returns; low + high = x exactly. */
export interface FrequencySplit {
  /** The band inside the square cut-off (real part of the masked inverse DFT). */
  low: tf.Tensor4D;
  /** x − low: everything outside the square. */
  high: tf.Tensor4D;
}

/**
 * Exact, differentiable 2-D low/high-pass split of feature maps x [B, H, W, C] by a square cut-off in the
 * centred spectrum, per channel (Earth-Adapter's frequency adapter, reference vision.md §1.1): with the
 * separable operators A_H, A_W, low = Re(A_H · X · A_Wᵀ) = Re A_H·X·Re A_Wᵀ − Im A_H·X·Im A_Wᵀ. Only
 * matmuls, so it has gradients on every backend (tfjs has no FFT gradients, and wasm no FFT at all).
 *
 * @param cutoff ratio r in [0, 1]: keeps frequencies −k…k−1 per axis with k = ⌊min(H, W)·r / 2⌋.
 */
export function frequencySplit(x: tf.Tensor4D, cutoff: number): FrequencySplit {
  checkTensor('frequencySplit', 'x', x, 4, 'float32');
  if (typeof cutoff !== 'number' || !(cutoff >= 0 && cutoff <= 1)) throw new Error(`frequencySplit: cutoff must be a ratio in [0, 1]; got ${String(cutoff)}`);
  const [B, H, W, C] = x.shape;
  const k = lowPassHalfWidth(H, W, cutoff);
  return tf.tidy(() => {
    let low: tf.Tensor4D;
    if (k === 0) {
      low = tf.zerosLike(x);
    } else {
      const opH = lowPassOperator(H, k);
      const opW = lowPassOperator(W, k);
      // Along H: [Re A_H; Im A_H] (2H×H) · X viewed as [H, B·W·C].
      const xh = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [H, B * W * C]);
      const alongH = tf.reshape(tf.matMul(opH, xh), [2, H, B, W, C]);
      // Along W, keeping the real part: [Re A_W | −Im A_W] (W×2W) · [Re; Im] viewed as [2W, H·B·C].
      const both = tf.reshape(tf.transpose(alongH, [0, 3, 1, 2, 4]), [2 * W, H * B * C]);
      const opWRealPart = tf.concat([tf.slice(opW, [0, 0], [W, W]), tf.neg(tf.slice(opW, [W, 0], [W, W]))], 1);
      const lowWHBC = tf.reshape(tf.matMul(opWRealPart, both), [W, H, B, C]);
      low = tf.transpose(lowWHBC, [2, 1, 0, 3]) as tf.Tensor4D;
    }
    return { low, high: tf.sub(x, low) as tf.Tensor4D };
  });
}

import * as tf from '@tensorflow/tfjs-core';
import { activate, baseActivation, isGated, type ExpertActivation } from './activation.js';
import type { LinearOps } from './linear-ops.js';

/** Weights of a two-layer (optionally gated) FFN: dense shapes, or the same with a leading expert axis. */
export interface FfnWeights {
  w1: tf.Tensor;
  w2: tf.Tensor;
  b1?: tf.Tensor;
  b2?: tf.Tensor;
  /** Gate projection of GLU variants (SwiGLU: swish(xW1) ⊙ xW3). */
  w3?: tf.Tensor;
}

/**
 * y = scale · (act(x·W1 + b1) [⊙ x·W3]) · W2 + b2 — the one FFN body shared by the dense FFN, FFN experts,
 * LoRA / rank-one experts (identity activation, no bias) and bottleneck adapters.
 */
export function ffnForward(x: tf.Tensor2D, w: FfnWeights, activation: ExpertActivation, ops: LinearOps, scale = 1): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor = activate(ops.linear(x, w.w1, w.b1), baseActivation(activation));
    if (isGated(activation)) {
      if (!w.w3) throw new Error(`ffnForward: activation '${activation}' needs the gate projection w3`);
      h = tf.mul(h, ops.linear(x, w.w3));
    }
    const y = ops.linear(h as tf.Tensor2D, w.w2);
    const scaled = scale === 1 ? y : tf.mul(y, scale);
    return (w.b2 ? tf.add(scaled, ops.perRow(w.b2)) : scaled) as tf.Tensor2D;
  });
}

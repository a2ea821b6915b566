import * as tf from '@tensorflow/tfjs-core';

/** Element-wise activations of expert hidden layers. */
export type ActivationName = 'relu' | 'gelu' | 'swish' | 'identity';
/** Expert activations: a plain activation, or a gated linear unit (act(xW1) ⊙ xW3) such as SwiGLU. */
export type ExpertActivation = ActivationName | 'swiglu' | 'geglu';

export const EXPERT_ACTIVATIONS: readonly ExpertActivation[] = ['relu', 'gelu', 'swish', 'identity', 'swiglu', 'geglu'];

/** True for the gated variants, which need a third (gate) projection. */
export function isGated(a: ExpertActivation): boolean {
  return a === 'swiglu' || a === 'geglu';
}

/** The element-wise part of an activation (swiglu → swish, geglu → gelu). */
export function baseActivation(a: ExpertActivation): ActivationName {
  if (a === 'swiglu') return 'swish';
  if (a === 'geglu') return 'gelu';
  return a;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** Applies an activation. GELU uses the tanh approximation (tfjs-core has no erf gradient on every backend). */
export function activate(x: tf.Tensor, name: ActivationName): tf.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'gelu':
      return tf.tidy(() => {
        const inner = tf.mul(GELU_C, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
        return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
      });
    case 'identity':
      return tf.clone(x);
  }
}

/** Validates a config value, naming the field. */
export function checkActivation(owner: string, field: string, value: unknown, allowed: readonly string[] = EXPERT_ACTIVATIONS): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new Error(`${owner}: ${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
}

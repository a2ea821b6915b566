import * as tf from '@tensorflow/tfjs-core';
import { groupedMatMul, type DispatchPlan } from '@moe/kernels';

/**
 * How an expert computation applies its linear maps: one dense matmul for a single network, or grouped
 * matmuls over an expert-contiguous buffer for a bank. Expert math is written once against this.
 */
export interface LinearOps {
  /** x·w (+ b): w is [in, out] (dense) or [E, in, out] (grouped); b is [out] or [E, out]. */
  linear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D;
  /** Per-row parameter vectors: v is [out] (dense) or [E, out] (grouped, each row gets its expert's). */
  perRow(v: tf.Tensor): tf.Tensor;
}

export const denseOps: LinearOps = {
  linear(x, w, b) {
    const y = tf.matMul(x, w as tf.Tensor2D) as tf.Tensor2D;
    return b ? (tf.add(y, b) as tf.Tensor2D) : y;
  },
  perRow(v) {
    return v;
  },
};

/**
 * Grouped ops for one plan. Per-expert vectors are spread to rows by a grouped matmul of a ones column
 * (block e of ones·v[e] is v[e]): the kernel owns the row→expert mapping and its gradient, so no integer
 * comparison op (which has no gradient in tfjs) lands on the autodiff path from the router.
 */
export class GroupedOps implements LinearOps {
  private ones: tf.Tensor2D | undefined;
  constructor(private readonly plan: DispatchPlan) {}

  linear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
    const y = groupedMatMul(x, w as tf.Tensor3D, this.plan);
    return b ? (tf.add(y, this.perRow(b)) as tf.Tensor2D) : y;
  }

  perRow(v: tf.Tensor): tf.Tensor {
    this.ones ??= tf.keep(tf.ones([this.plan.rows, 1]) as tf.Tensor2D);
    const [e, n] = v.shape;
    return groupedMatMul(this.ones, tf.reshape(v, [e, 1, n]) as tf.Tensor3D, this.plan);
  }

  dispose(): void {
    this.ones?.dispose();
    this.ones = undefined;
  }
}

/** Runs `f` with grouped ops for `plan`, inside a tidy, and frees the ops' cached tensors afterwards. */
export function withGroupedOps<T extends tf.Tensor>(plan: DispatchPlan, f: (ops: LinearOps) => T): T {
  const ops = new GroupedOps(plan);
  try {
    return tf.tidy(() => f(ops));
  } finally {
    ops.dispose();
  }
}

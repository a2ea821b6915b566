import type * as tf from '@tensorflow/tfjs-core';

/** A non-trainable state change produced by a forward pass (BatchNorm moving statistics). */
export interface StateUpdate {
  variable: tf.Variable;
  /** New batch statistic (kept alive until applied). */
  value: tf.Tensor;
  /** Exponential moving-average momentum: variable ← momentum·variable + (1 − momentum)·value. */
  momentum: number;
}

/** Per-call options threaded through every forward pass. */
export interface ForwardContext {
  training: boolean;
  /** Filled during training; the trainer applies them after the optimizer step. */
  stateUpdates: StateUpdate[];
  /**
   * When set, modules record diagnostics here (gate weights [B, E], expert outputs) as kept tensors, for
   * expert/gate-utilisation reports; the caller disposes them.
   */
  diagnostics?: Map<string, tf.Tensor>;
}

export function inferenceContext(diagnostics?: Map<string, tf.Tensor>): ForwardContext {
  return { training: false, stateUpdates: [], diagnostics };
}

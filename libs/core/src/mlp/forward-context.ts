import * as tf from '@tensorflow/tfjs-core';

/**
 * A non-trainable state change computed by a forward pass (BatchNorm moving statistics, AdaptDHM centres),
 * returned to the caller instead of assigned inside the pass: a forward may run under `tf.grads`, twice in a
 * gradient check, or be discarded, and none of that may move the model's state.
 */
export interface StateUpdate {
  variable: tf.Variable;
  /** The new value (kept alive until applied or discarded). */
  value: tf.Tensor;
  /** variable ← momentum·variable + (1 − momentum)·value; 0 = plain assignment. */
  momentum: number;
}

/** Per-call options threaded through every block of a model's forward pass. */
export interface ForwardContext {
  /** Batch statistics and state updates in training; moving statistics at inference. */
  training: boolean;
  /** Filled in training; the caller applies them (`applyStateUpdates`) after the optimizer step. */
  stateUpdates: StateUpdate[];
  /**
   * When set, blocks record diagnostics here as kept tensors the caller disposes: `gate/<name>` gate weights
   * [B, E] (zero on experts a gate cannot see), `zeroRate/<name>` per-expert zero-activation rate [E].
   */
  diagnostics?: Map<string, tf.Tensor>;
}

/** A training context with an empty update list. */
export function trainingContext(): ForwardContext {
  return { training: true, stateUpdates: [] };
}

/** An inference context, optionally recording diagnostics. */
export function inferenceContext(diagnostics?: Map<string, tf.Tensor>): ForwardContext {
  return diagnostics ? { training: false, stateUpdates: [], diagnostics } : { training: false, stateUpdates: [] };
}

/** Queues a state update (the value is kept past the caller's tidy). */
export function pushStateUpdate(ctx: ForwardContext, variable: tf.Variable, value: tf.Tensor, momentum: number): void {
  ctx.stateUpdates.push({ variable, value: tf.keep(value), momentum });
}

/** Applies the updates a training forward collected, in order, then frees them and empties the list. */
export function applyStateUpdates(ctx: ForwardContext): void {
  for (const u of ctx.stateUpdates) {
    const next = tf.tidy(() => (u.momentum === 0 ? tf.clone(u.value) : tf.add(tf.mul(u.variable, u.momentum), tf.mul(u.value, 1 - u.momentum))));
    u.variable.assign(next);
    next.dispose();
  }
  discardStateUpdates(ctx);
}

/** Frees queued updates without applying them (a failed step). */
export function discardStateUpdates(ctx: ForwardContext): void {
  tf.dispose(ctx.stateUpdates.map((u) => u.value));
  ctx.stateUpdates.length = 0;
}

/** Records a gate's weights [B, E] under `gate/<name>` when diagnostics are on. */
export function recordGate(ctx: ForwardContext | undefined, name: string, weights: tf.Tensor2D): void {
  if (ctx?.diagnostics) ctx.diagnostics.set(`gate/${name}`, tf.keep(tf.clone(weights)));
}

/**
 * Records each expert's fraction of (numerically) zero activations, [E] from expert outputs [E, B, o], under
 * `zeroRate/<name>` — HoME's "expert collapse" symptom (ReLU experts with > 90 % zeros).
 */
export function recordZeroRate(ctx: ForwardContext | undefined, name: string, expertOutputs: tf.Tensor3D): void {
  if (ctx?.diagnostics) ctx.diagnostics.set(`zeroRate/${name}`, tf.keep(tf.tidy(() => tf.mean(tf.cast(tf.less(tf.abs(expertOutputs), 1e-6), 'float32'), [1, 2]))));
}

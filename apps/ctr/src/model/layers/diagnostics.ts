import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from '../forward-context.js';

/** Records the batch-mean gate weights [E] of one task under `gate/<task>` when diagnostics are on. */
export function recordGate(ctx: ForwardContext, task: string, weights: tf.Tensor2D): void {
  if (ctx.diagnostics) ctx.diagnostics.set(`gate/${task}`, tf.keep(tf.mean(weights, 0)));
}

/**
 * Records the fraction of an expert's activations that are (numerically) zero under `zeroRate/<name>` —
 * HoME's "expert collapse" symptom: ReLU experts with > 90 % zeros cannot be weighted fairly by gates.
 */
export function recordZeroRate(ctx: ForwardContext, name: string, activations: tf.Tensor2D): void {
  if (ctx.diagnostics) ctx.diagnostics.set(`zeroRate/${name}`, tf.keep(tf.mean(tf.cast(tf.less(tf.abs(activations), 1e-6), 'float32'))));
}

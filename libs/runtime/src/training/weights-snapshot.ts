import * as tf from '@tensorflow/tfjs-core';
import type { Trainable } from './trainable.js';

/**
 * A copy of a model's weights kept for best-weights restore. Uses the model's getWeights/setWeights when
 * it has both (so non-trainable state is restored too), else clones the trainable variables.
 */
export class WeightsSnapshot {
  private saved: Record<string, tf.Tensor> | tf.Tensor[] | undefined;

  constructor(private readonly model: Trainable | undefined, private readonly variables: tf.Variable[]) {}

  get hasValue(): boolean {
    return this.saved !== undefined;
  }

  /** Replaces the snapshot with the current weights. */
  capture(): void {
    this.release();
    this.saved = this.model?.getWeights && this.model.setWeights
      ? this.model.getWeights()
      : this.variables.map((v) => tf.clone(v));
  }

  /** Writes the snapshot back into the model. */
  restore(): void {
    const saved = this.saved;
    if (!saved) return;
    if (Array.isArray(saved)) saved.forEach((t, i) => this.variables[i].assign(t));
    else this.model?.setWeights?.(saved);
  }

  release(): void {
    const saved = this.saved;
    if (!saved) return;
    for (const t of Array.isArray(saved) ? saved : Object.values(saved)) t.dispose();
    this.saved = undefined;
  }
}

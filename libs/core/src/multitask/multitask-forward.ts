import * as tf from '@tensorflow/tfjs-core';
import type { AuxLoss } from '../module/loss.js';

/** What a multi-task block returns: one representation per task (feed each to its tower). */
export interface MultiTaskForward {
  /** [T, outputDim] per task. */
  outputs: tf.Tensor2D[];
  /** Gates' auxiliary losses (zero for plain softmax gates). */
  aux: AuxLoss;
  /**
   * [numTasks, E] mean gate weight each task puts on each expert of the (last) level — the task×expert
   * matrix that shows expert degradation (a shared expert used by one task only) and underfitting.
   */
  gateUsage: tf.Tensor2D;
}

/** Disposes every tensor of a {@link MultiTaskForward}. */
export function disposeMultiTaskForward(f: MultiTaskForward): void {
  tf.dispose([...f.outputs, f.aux.total, ...Object.values(f.aux.parts), f.gateUsage]);
}

/** Throws unless `x` is float32 [T, dim] (multi-task blocks take flat feature vectors). */
export function checkFeatures(owner: string, x: tf.Tensor, dim: number): asserts x is tf.Tensor2D {
  if (x == null || x.rank !== 2 || x.shape[1] !== dim || x.dtype !== 'float32') {
    throw new Error(`${owner}: x must be float32 [T, ${dim}]; got ${x == null ? String(x) : `${x.dtype} [${x.shape}]`}`);
  }
}

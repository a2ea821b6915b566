import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { TrainingError } from './training-error.js';

export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** False when the loss or the norm was not finite: the update was skipped and the weights are unchanged. */
  applied: boolean;
}

/**
 * One optimisation step: loss and gradients of the trainable variables, global-norm clipping, update.
 * Loss and norm come back in a single async read (one device sync per step; it works on webgpu, where
 * synchronous reads are impossible in Node), taken *before* the update so that a NaN/Inf step never
 * reaches the weights: the model stays at its last good state for best-weights restore or a checkpoint.
 */
export async function runTrainStep(
  computeLoss: () => tf.Tensor,
  variables: tf.Variable[],
  optimizer: tf.Optimizer,
  clipNorm: number | undefined,
  step: number,
): Promise<StepResult> {
  let computed: { stats: tf.Tensor; grads: tf.NamedTensorMap };
  try {
    computed = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const loss = computeLoss();
        if (!(loss instanceof tf.Tensor) || loss.rank !== 0) {
          throw new TrainingError('invalid_argument', `lossFn must return a scalar tf.Tensor, got ${loss instanceof tf.Tensor ? `a tensor of shape [${loss.shape}]` : typeof loss}`, step);
        }
        return loss as tf.Scalar;
      }, variables);
      // variableGrads lists non-trainable variables with null gradients; the optimizer must not see them.
      const present: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) if (g) present[name] = g;
      const clipped = clipByGlobalNorm(present, clipNorm);
      return { stats: tf.stack([tf.cast(value, 'float32'), clipped.norm]), grads: clipped.grads };
    });
  } catch (e) {
    if (e instanceof TrainingError) throw e;
    throw new TrainingError('step_failed', `step ${step}: computing the loss or its gradients failed: ${(e as Error).message}`, step, { cause: e });
  }
  try {
    const [loss, gradNorm] = await computed.stats.data();
    const applied = Number.isFinite(loss) && Number.isFinite(gradNorm);
    if (applied) tf.tidy(() => optimizer.applyGradients(computed.grads));
    return { loss, gradNorm, applied };
  } finally {
    tf.dispose([computed.stats, ...Object.values(computed.grads)]);
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { TrainingError } from './training-error.js';

export interface StepResult {
  loss: number;
  gradNorm: number;
}

/**
 * One optimisation step: loss and gradients of the trainable variables, global-norm clipping, update.
 * Everything runs in one tidy; loss and norm come back in a single async read (one device sync per step,
 * and it works on webgpu, where synchronous reads are impossible in Node).
 */
export async function runTrainStep(
  computeLoss: () => tf.Scalar,
  variables: tf.Variable[],
  optimizer: tf.Optimizer,
  clipNorm: number | undefined,
  step: number,
): Promise<StepResult> {
  let stats: tf.Tensor;
  try {
    stats = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const loss = computeLoss();
        if (!(loss instanceof tf.Tensor) || loss.rank !== 0) {
          throw new TrainingError('invalid_argument', `lossFn must return a scalar tf.Tensor, got ${loss instanceof tf.Tensor ? `a tensor of shape [${loss.shape}]` : typeof loss}`, step);
        }
        return loss;
      }, variables);
      // variableGrads lists non-trainable variables with null gradients; the optimizer must not see them.
      const present: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) if (g) present[name] = g;
      const clipped = clipByGlobalNorm(present, clipNorm);
      optimizer.applyGradients(clipped.grads);
      return tf.stack([tf.cast(value, 'float32'), clipped.norm]);
    });
  } catch (e) {
    if (e instanceof TrainingError) throw e;
    throw new TrainingError('step_failed', `step ${step}: computing the loss or its gradients failed: ${(e as Error).message}`, step, { cause: e });
  }
  try {
    const [loss, gradNorm] = await stats.data();
    return { loss, gradNorm };
  } finally {
    stats.dispose();
  }
}

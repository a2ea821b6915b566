// A synthetic mixture-of-regimes regression and a small Adam loop: the task of the MoE learning test and
// of `npm run bench -- core`. K latent regimes, each a different random tanh network of the input; the
// regime is identifiable from the input (the Voronoi cell of x among K fixed directions), so a router can
// learn it and experts can specialise, while one dense network must fit every regime at once.
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from '../routers/selection.js';

/** A seeded task: same seed, same regimes and functions. */
export interface RegimeTask {
  inputDim: number;
  numRegimes: number;
  /** Draws `n` samples: x [n, d], y [n, 1], regime [n] int32. */
  sample(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D; regime: tf.Tensor1D };
  dispose(): void;
}

/** Builds a task with `numRegimes` random regime functions of `inputDim`-dimensional inputs. */
export function makeRegimeTask(inputDim: number, numRegimes: number, seed: number, hidden = 8): RegimeTask {
  const centres = tf.randomNormal([inputDim, numRegimes], 0, 1, 'float32', seed);
  const u = tf.randomNormal([numRegimes, inputDim, hidden], 0, 1.5 / Math.sqrt(inputDim), 'float32', seed + 1);
  const v = tf.randomNormal([numRegimes, hidden, 1], 0, 1.5 / Math.sqrt(hidden), 'float32', seed + 2);
  const offset = tf.randomNormal([numRegimes], 0, 1, 'float32', seed + 3);
  return {
    inputDim,
    numRegimes,
    sample(n, s) {
      return tf.tidy(() => {
        const x = tf.randomNormal([n, inputDim], 0, 1, 'float32', s) as tf.Tensor2D;
        const regime = tf.argMax(tf.matMul(x, centres), 1) as tf.Tensor1D;
        // Every regime's function on every sample, then pick each sample's own regime.
        const all = tf.add(tf.squeeze(tf.matMul(tf.tanh(tf.matMul(tf.tile(tf.expandDims(x, 0), [numRegimes, 1, 1]), u)), v), [2]), tf.expandDims(offset, 1)); // [K, n]
        const pick = oneHotFloat(regime, numRegimes); // [n, K]
        const y = tf.reshape(tf.sum(tf.mul(tf.transpose(all), pick), 1), [n, 1]) as tf.Tensor2D;
        return { x, y, regime };
      });
    },
    dispose() {
      tf.dispose([centres, u, v, offset]);
    },
  };
}

/** Model under test: a forward giving predictions [n, 1] and an aux loss. */
export type RegressionModel = (x: tf.Tensor2D, training: boolean) => { prediction: tf.Tensor2D; aux?: tf.Scalar };

/** Adam on MSE (+ aux) for `steps` mini-batches drawn fresh from the task; returns held-out MSE. */
export async function trainRegression(task: RegimeTask, model: RegressionModel, variables: tf.Variable[], opts: { steps: number; batch: number; lr: number; seed: number; testSize?: number }): Promise<number> {
  const optimizer = tf.train.adam(opts.lr);
  for (let step = 0; step < opts.steps; step++) {
    const { x, y, regime } = task.sample(opts.batch, opts.seed * 100_003 + step);
    const loss = optimizer.minimize(() => {
      const out = model(x, true);
      const mse = tf.mean(tf.square(tf.sub(out.prediction, y)));
      return (out.aux ? tf.add(mse, out.aux) : mse) as tf.Scalar;
    }, true, variables);
    tf.dispose([x, y, regime, loss as tf.Scalar]);
  }
  optimizer.dispose();
  const test = task.sample(opts.testSize ?? 1024, 987_654 + opts.seed);
  const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(model(test.x, false).prediction, test.y))));
  const value = (await mse.data())[0];
  tf.dispose([mse, test.x, test.y, test.regime]);
  return value;
}

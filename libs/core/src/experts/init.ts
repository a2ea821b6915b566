import * as tf from '@tensorflow/tfjs-core';

/**
 * Glorot-uniform weights of `shape` whose last two axes are (fanIn, fanOut); a leading expert axis gets
 * independent draws because the whole stacked tensor is drawn at once from one seed.
 */
export function glorotUniform(shape: number[], seed: number, gain = 1): tf.Tensor {
  const fanIn = shape[shape.length - 2];
  const fanOut = shape[shape.length - 1];
  const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}

/** Small normal noise around `mean` (used to break symmetry between otherwise identical experts). */
export function noisyConstant(shape: number[], mean: number, std: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.add(mean, tf.randomNormal(shape, 0, std, 'float32', seed)));
}

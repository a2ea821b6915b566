import * as tf from '@tensorflow/tfjs-core';

/**
 * float32 one-hot. tfjs-backend-wasm 4.22's OneHot returns all zeros when asked for dtype 'float32'
 * (measured here), so take the int32 one-hot and cast.
 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(indices, depth), 'float32'));
}

import * as tf from '@tensorflow/tfjs-core';

/**
 * tf.tidy for a function returning a typed object of tensors (tfjs' TensorContainer type has an index
 * signature our interfaces lack); tensors reachable from the result are kept, everything else disposed.
 */
export function tidyObject<T>(f: () => T): T {
  return tf.tidy(f as unknown as () => tf.TensorContainer) as unknown as T;
}

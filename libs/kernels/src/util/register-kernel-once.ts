import * as tf from '@tensorflow/tfjs-core';

/** Registers a kernel unless that (kernel, backend) pair already has one (keeps tfjs from warning). */
export function registerKernelOnce(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) == null) tf.registerKernel(config);
}

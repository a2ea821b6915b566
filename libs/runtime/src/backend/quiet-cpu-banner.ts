import * as tf from '@tensorflow/tfjs-core';

/**
 * The cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js ... install our node
 * backend" on its first tensor write in Node. The suite chooses its backend deliberately (and tfjs-node
 * is often impossible to install), so the banner is only noise in logs and test output.
 *
 * It is gated by a `firstUse` flag on the backend instance (tfjs-backend-cpu 4.22 `MathBackendCPU.write`);
 * clearing it silences exactly that message and nothing else, unlike `tf.enableProdMode()` which hides every
 * tfjs warning. If a future tfjs renames the field this does nothing (the banner comes back; nothing breaks).
 */
export function quietCpuBanner(): void {
  if (!tf.findBackendFactory('cpu')) return;
  // findBackend initialises the cpu backend if needed (cheap: no allocation until first write).
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu && cpu.firstUse === true) cpu.firstUse = false;
}

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { computeDispatchPlan, groupedMatMul } from './src/index.js';
await tf.setBackend('wasm');
const T = 4096, d = 512, h = 1024, E = 32;
const x = tf.randomUniform([T * 2, d]);
const ids = tf.tensor2d(Array.from({ length: T }, (_, t) => [t % E, (t + 3) % E]), undefined, 'int32');
const plan = computeDispatchPlan(ids as tf.Tensor2D, E);
const w = tf.randomUniform([E, d, h]);
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const r = groupedMatMul(x as tf.Tensor2D, w as tf.Tensor3D, plan); await r.data(); r.dispose();
  console.log('call', i, (performance.now() - t0).toFixed(1));
}
console.log((globalThis as any).__prof);

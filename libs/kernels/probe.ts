import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { combine, computeDispatchPlan, disposeDispatchPlan, dispatch, groupedMatMul } from './src/index.js';
await tf.setBackend('wasm');
const T = 2048, d = 512, h = 1024, k = 2;
const x = tf.randomUniform([T, d]); const proj = tf.randomUniform([T, d]);
for (const E of [8, 32, 8, 32]) {
  const r = tf.randomUniform([d, E]); const e1 = tf.randomUniform([E, d, h], -0.05, 0.05); const e2 = tf.randomUniform([E, h, d], -0.05, 0.05);
  const step = () => tf.grads((a: tf.Tensor, rr: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
    const probs = tf.softmax(tf.matMul(a, rr));
    const { values, indices } = tf.topk(probs, k);
    const gates = tf.div(values, tf.sum(values, -1, true)) as tf.Tensor2D;
    const plan = computeDispatchPlan(indices as tf.Tensor2D, E);
    const hidden = tf.relu(groupedMatMul(dispatch(a as tf.Tensor2D, plan), b as tf.Tensor3D, plan)) as tf.Tensor2D;
    const y = combine(groupedMatMul(hidden, c as tf.Tensor3D, plan), gates, plan);
    disposeDispatchPlan(plan);
    return tf.sum(tf.mul(y, proj));
  })([x, r, e1, e2]);
  tf.dispose(step());
  const prof = await tf.profile(() => step());
  const agg = new Map<string, number>();
  for (const kk of prof.kernels) agg.set(kk.name, (agg.get(kk.name) ?? 0) + (kk.kernelTimeMs as number));
  console.log(`E=${E}`, [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', '));
  tf.dispose([r, e1, e2]);
}

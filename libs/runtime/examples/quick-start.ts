/**
 * @moe/runtime end to end: pick a backend, train a small model with warm-up + cosine, clipping and early
 * stopping, checkpoint it, load it back and check the round trip.
 *
 *   npm run moe -- libs/runtime/examples/quick-start.ts            (MOE_BACKEND=cpu|wasm|webgpu|auto)
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, loadCheckpoint, saveCheckpoint, selectBackend, train } from '../src/index.js';

const selection = await selectBackend();
console.log(selection.summary);

// Data: y = 3x - 1 + noise, 32 training batches and one validation batch, from a seeded PRNG.
const rng = createRng(42);
const batch = (n: number) => {
  const x = Float32Array.from({ length: n }, () => rng.nextNormal());
  const y = x.map((v) => 3 * v - 1 + 0.05 * rng.nextNormal());
  return { x: tf.tensor2d(x, [n, 1]), y: tf.tensor2d(y, [n, 1]) };
};
const trainSet = Array.from({ length: 32 }, () => batch(32));
const valSet = batch(256);

// Any object with trainableVariables() works; getWeights/setWeights make best-weights restore complete.
const w = tf.variable(tf.zeros([1, 1]), true, 'w');
const b = tf.variable(tf.zeros([1]), true, 'b');
const model = {
  trainableVariables: () => [w, b],
  getWeights: () => ({ w: tf.clone(w), b: tf.clone(b) }),
  setWeights: (ws: Record<string, tf.Tensor>) => { w.assign(ws.w); b.assign(ws.b); },
};
const mse = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y)));

const optimizer = tf.train.adam();
const result = await train({
  model, optimizer, data: trainSet, epochs: 20, seed: 7,
  lossFn: (batch) => mse(batch.x, batch.y),
  learningRate: { peak: 0.1, warmupSteps: 20 },   // warm-up, then cosine to 0 at the last step
  clipNorm: 10,
  validation: { evaluate: () => tf.tidy(() => mse(valSet.x, valSet.y)), patience: 3 },
  progress: 'auto',                                // a bar on a TTY, JSON lines when piped
});
console.log(`stopped: ${result.stopReason} after ${result.steps} steps; best val_loss ${result.bestValue?.toFixed(5)}`);

const dir = await mkdtemp(join(tmpdir(), 'moe-quick-start-'));
const weights = model.getWeights();
await saveCheckpoint(dir, { config: { kind: 'Linear', inputs: 1 }, weights, metadata: { valLoss: result.bestValue } });
const loaded = await loadCheckpoint(dir);
const same = (await loaded.weights.w.data())[0] === (await weights.w.data())[0];
console.log(`checkpoint in ${dir}: w=${(await loaded.weights.w.data())[0].toFixed(3)} b=${(await loaded.weights.b.data())[0].toFixed(3)}, bit-identical: ${same}`);

tf.dispose([...Object.values(weights), ...Object.values(loaded.weights), w, b, valSet.x, valSet.y, ...trainSet.flatMap((t) => [t.x, t.y])]);
optimizer.dispose();
await rm(dir, { recursive: true });

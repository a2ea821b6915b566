import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, useBackend } from '@moe/testing';
import '../index.js';
import { onCpu, pseudoRandom } from '../test-util/on-cpu.js';

const t4 = (shape: [number, number, number, number], seed: number) => tf.tensor4d(pseudoRandom(shape.reduce((a, b) => a * b), seed), shape);

describeEachBackend('wasm fills (UnsortedSegmentSum, conv / depthwise gradients, Einsum, transposed matmul)', (backend) => {
  it('unsortedSegmentSum and the gradient of gather (embeddings) match cpu, ids of -1 dropped', async () => {
    const x = () => tf.tensor2d(pseudoRandom(7 * 3, 1), [7, 3]);
    const ids = [0, 2, -1, 2, 4, 0, 1];
    const run = () => {
      const xs = x();
      const seg = tf.unsortedSegmentSum(xs, tf.tensor1d(ids, 'int32'), 5);
      const table = tf.tensor2d(pseudoRandom(6 * 4, 2), [6, 4]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([1, 5, 1, 0, 1], 'int32')), tf.reshape(tf.range(1, 21), [5, 4]))))(table);
      return [seg, g];
    };
    const [segRef, gRef] = await onCpu(useBackend, run);
    await expectNoLeaks(async () => {
      const [seg, g] = tf.tidy(run);
      await expectClose(seg, segRef, {}, 'unsortedSegmentSum');
      await expectClose(g, gRef, {}, 'gather gradient');
      tf.dispose([seg, g]);
    });
    if (backend === 'wasm') {
      // Ids ≥ numSegments are dropped too (the native scatter never sees them).
      const seg = tf.tidy(() => tf.unsortedSegmentSum(tf.ones([3, 2]), tf.tensor1d([1, 9, 1], 'int32'), 2));
      expect(Array.from(await seg.data())).toEqual([0, 0, 2, 2]);
      seg.dispose();
    }
  });

  for (const [strides, pad] of [[1, 'same'], [2, 'valid'], [2, 'same']] as const) {
    it(`conv2d weight and input gradients match cpu (strides ${strides}, pad ${pad})`, async () => {
      const run = () => tf.tidy(() => {
        const x = t4([2, 7, 6, 3], 3);
        const w = t4([3, 2, 3, 4], 4);
        const proj = tf.slice(tf.tensor1d(pseudoRandom(2 * 7 * 6 * 4, 5)), 0, tf.conv2d(x, w, strides, pad).size);
        const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), [-1]), proj));
        return tf.grads(loss)([x, w]);
      });
      const ref = await onCpu(useBackend, run);
      await expectNoLeaks(async () => {
        const got = run();
        await expectClose(got[0], ref[0], { atol: 1e-4 }, 'conv2d dx');
        await expectClose(got[1], ref[1], { atol: 1e-4 }, 'conv2d dW');
        tf.dispose(got);
      });
    });
  }

  for (const [strides, mult] of [[1, 1], [2, 2]] as const) {
    it(`depthwise conv weight and input gradients match cpu and finite differences (strides ${strides}, multiplier ${mult})`, async () => {
      const run = () => tf.tidy(() => {
        const x = t4([2, 6, 5, 3], 6);
        const w = t4([3, 3, 3, mult], 7);
        const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, 'same')));
        return tf.grads(loss)([x, w]);
      });
      const ref = await onCpu(useBackend, run);
      const x = t4([1, 5, 4, 2], 8);
      const w = t4([3, 3, 2, mult], 9);
      await expectNoLeaks(async () => {
        const got = run();
        await expectClose(got[0], ref[0], { atol: 1e-4 }, 'depthwise dx');
        await expectClose(got[1], ref[1], { atol: 1e-4 }, 'depthwise dW');
        tf.dispose(got);
        await checkGradients((a, b) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, 'same'), [x, w]);
      });
      tf.dispose([x, w]);
    });
  }

  it('einsum matches cpu', async () => {
    const cases: [string, number[][]][] = [['ij,jk->ik', [[3, 4], [4, 5]]], ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]], ['i,i->', [[6], [6]]], ['ij,j->i', [[3, 4], [4]]]];
    for (const [eq, shapes] of cases) {
      const run = () => tf.einsum(eq, ...shapes.map((s, i) => tf.tensor(pseudoRandom(s.reduce((a, b) => a * b, 1), 10 + i), s)));
      const [ref] = await onCpu(useBackend, run);
      await expectNoLeaks(async () => {
        const got = tf.tidy(run);
        await expectClose(got, ref, { atol: 1e-5 }, `einsum ${eq}`);
        got.dispose();
      });
    }
  });

  it('matmul with transposed operands matches cpu (wasm routes it through an explicit transpose)', async () => {
    const run = () => tf.tidy(() => {
      const a = tf.tensor2d(pseudoRandom(6 * 5, 20), [6, 5]);
      const b = tf.tensor2d(pseudoRandom(5 * 4, 21), [5, 4]);
      const a3 = tf.tensor3d(pseudoRandom(2 * 6 * 5, 22), [2, 6, 5]);
      const b3 = tf.tensor3d(pseudoRandom(2 * 4 * 5, 23), [2, 4, 5]);
      return [tf.matMul(tf.transpose(a), tf.transpose(b), true, true), tf.matMul(a, tf.transpose(b), false, true), tf.matMul(tf.transpose(a), b, true, false), tf.matMul(a3, b3, false, true)];
    });
    const ref = await onCpu(useBackend, run);
    await expectNoLeaks(async () => {
      const got = run();
      for (let i = 0; i < got.length; i++) await expectClose(got[i], ref[i], { atol: 1e-5 }, `matmul case ${i}`);
      tf.dispose(got);
    });
  });
});

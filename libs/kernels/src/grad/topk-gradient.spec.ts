import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import '../index.js';

describeEachBackend('TopK gradient', () => {
  it('is registered and matches finite differences for k=1 and k=2 (values well separated)', async () => {
    expect(tf.getGradient(tf.TopK)).toBeDefined();
    // Rows of distinct values at least 0.1 apart, so ±eps never reorders them.
    const x = tf.tensor2d([[0.3, 1.2, -0.5, 0.8], [2.0, -1.0, 0.1, 0.45], [0.0, 0.6, 1.5, -0.2]]);
    await expectNoLeaks(async () => {
      await checkGradients((a) => tf.topk(a, 1).values, [x]);
      await checkGradients((a) => tf.topk(a, 2).values, [x]);
    });
    x.dispose();
  });

  it('scatters each value gradient to the position it was taken from', async () => {
    const x = tf.tensor2d([[0.3, 1.2, -0.5, 0.8]]);
    await expectNoLeaks(async () => {
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.topk(a, 2).values, tf.tensor2d([[10, 1]]))))(x);
      await expectClose(g, [0, 10, 0, 1]);
      g.dispose();
    });
    x.dispose();
  });

  it('lets a loss that only uses the indices (as a mask) differentiate through softmax', async () => {
    const logits = tf.tensor2d([[0.1, 0.9, 0.3], [0.5, 0.2, 0.7]]);
    await expectNoLeaks(async () => {
      const g = tf.grad((l: tf.Tensor) => {
        const p = tf.softmax(l);
        const mask = tf.sum(tf.oneHot(tf.topk(p, 2).indices, 3), 1);
        return tf.sum(tf.mul(p, mask));
      })(logits);
      expect(g.shape).toEqual([2, 3]);
      expect(Array.from(await g.data()).every(Number.isFinite)).toBe(true);
      g.dispose();
    });
    logits.dispose();
  });
});

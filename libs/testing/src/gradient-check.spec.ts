import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { describe, expect, it } from 'vitest';
import { checkGradients, checkVariableGradients, describeEachBackend, expectClose, expectNoLeaks } from './index.js';

describeEachBackend('test helpers', () => {
  it('accept a correct gradient and leak nothing', async () => {
    const x = tf.tensor2d([[0.3, -0.7], [1.2, 0.1]]);
    await expectNoLeaks(() => checkGradients((a) => tf.tanh(tf.matMul(a, a)), [x]));
    x.dispose();
  });

  it('reject a wrong gradient', async () => {
    // d(a²)/da is 2a; this claims 3.
    const wrong = tf.customGrad((a) => ({ value: tf.square(a as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.mul(dy, 3) })) as (a: tf.Tensor) => tf.Tensor;
    const x = tf.tensor1d([0.5, 1.5, -2]);
    await expect(checkGradients((a) => wrong(a), [x])).rejects.toThrow(/gradient of input 0/);
    x.dispose();
  });

  it('checkVariableGradients accepts a correct and rejects a wrong parameter gradient', async () => {
    const v = tf.variable(tf.tensor1d([0.5, -1.5, 2]));
    // d(v²)/dv is 2v; this op claims 3v.
    const wrong = tf.customGrad((a) => ({ value: tf.square(a as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(3, a as tf.Tensor)) })) as (a: tf.Tensor) => tf.Tensor;
    await expect(checkVariableGradients(() => tf.sum(wrong(v)) as tf.Scalar, [v])).rejects.toThrow(/gradient of variable .*element/);
    await checkVariableGradients(() => tf.sum(tf.square(v)) as tf.Scalar, [v]);
    expect(Array.from(await v.data())).toEqual([0.5, -1.5, 2]);
    v.dispose();
  });

  it('expectNoLeaks reports a leak', async () => {
    let kept: tf.Tensor | undefined;
    await expect(expectNoLeaks(() => { kept = tf.ones([2]); })).rejects.toThrow(/leaked 1 tensor/);
    kept?.dispose();
  });

  it('expectNoLeaks counts only new tensors as results: handing back an input cannot hide a leak', async () => {
    const input = tf.ones([2]);
    let kept: tf.Tensor | undefined;
    await expect(expectNoLeaks(() => { kept = tf.zeros([3]); return input; })).rejects.toThrow(/leaked 1 tensor/);
    const fresh = await expectNoLeaks(() => ({ same: input, made: tf.add(input, 1) }));
    fresh.made.dispose();
    tf.dispose([input, kept as tf.Tensor]);
  });
});

describe('expectClose', () => {
  it('names the worst element', async () => {
    await expect(expectClose([1, 2, 3], [1, 2, 3.5])).rejects.toThrow(/element 2 is 3, expected 3.5/);
    await expectClose([1, 2, 3], [1, 2, 3 + 1e-7]);
  });
});

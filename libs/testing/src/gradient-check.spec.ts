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

  it('fail when one component is 10 % off, halved or zero, even where the other components are right', async () => {
    // f(a) = s·(Σ a³/3 + a): gradient s·(a² + 1). The op below scales one component of it by `factor`. With
    // s = 0.01 the components are 0.0125…0.05, where an additive atol of 2e-2 would accept any error at all.
    const x = tf.tensor1d([0.5, 1.5, -2, 0.8]);
    const spoil = (scale: number, index: number, factor: number) =>
      tf.customGrad((a) => ({
        value: tf.mul(scale, tf.add(tf.div(tf.pow(a as tf.Tensor, 3), 3), a as tf.Tensor)),
        gradFunc: (dy: tf.Tensor) => tf.mul(tf.mul(dy, tf.mul(scale, tf.add(tf.square(a as tf.Tensor), 1))), tf.tensor1d([0, 1, 2, 3].map((j) => (j === index ? factor : 1)))),
      })) as (a: tf.Tensor) => tf.Tensor;
    for (const scale of [1, 0.01]) {
      await checkGradients((a) => spoil(scale, 1, 1)(a), [x]);
      for (const factor of [1.1, 0.9, 0.5, 0]) {
        await expect(checkGradients((a) => spoil(scale, 2, factor)(a), [x]), `scale ${scale}, factor ${factor}`).rejects.toThrow(/gradient of input 0 .*element 2 is/);
      }
    }
    const v = tf.variable(tf.tensor1d([0.5, 1.5, -2, 0.8]));
    await checkVariableGradients(() => tf.sum(spoil(0.01, 0, 1)(v)) as tf.Scalar, [v]);
    await expect(checkVariableGradients(() => tf.sum(spoil(0.01, 3, 1.1)(v)) as tf.Scalar, [v])).rejects.toThrow(/gradient of variable .* element 3 is/);
    tf.dispose([x, v]);
  });

  it('compare small components absolutely below the floor (rtol · floor), large ones relatively', async () => {
    // f(a) = 1e-5·a² + 100·a: the first gradient part is far below the floor, the second far above it.
    const x = tf.tensor1d([0.3, -0.4]);
    const g = (delta: number) =>
      tf.customGrad((a) => ({
        value: tf.add(tf.mul(1e-5, tf.square(a as tf.Tensor)), tf.mul(100, a as tf.Tensor)),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.add(tf.add(tf.mul(2e-5, a as tf.Tensor), 100), delta)),
      })) as (a: tf.Tensor) => tf.Tensor;
    // 1 % of 100 is allowed (rtol 2e-2), 3 % is not, however large the component.
    await checkGradients((a) => g(1)(a), [x], { randomProjection: false });
    await expect(checkGradients((a) => g(3)(a), [x], { randomProjection: false })).rejects.toThrow(/3\.00 % of max/);
    await expect(checkGradients((a) => tf.square(a), [x], { rtol: 0.1 })).rejects.toThrow(/options.rtol must be in \(0, 0.1\)/);
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

import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { checkVariableGradients } from '@moe/testing';
import type { Module } from '../module/module.js';
import { ExpertNorm } from './expert-norm.js';
import { Mmoe } from './mmoe.js';
import { disposeMultiTaskForward, type MultiTaskForward } from './multitask-forward.js';
import { Cgc, Ple } from './ple.js';
import { SharedBottom } from './shared-bottom.js';

const D = 5;
type Block = Module & { apply(x: tf.Tensor2D): MultiTaskForward };

const blocks: [string, () => Block][] = [
  ['SharedBottom', () => new SharedBottom({ inputDim: D, numTasks: 2, hiddenDim: 6, outputDim: 3, seed: 1 })],
  ['Mmoe', () => new Mmoe({ inputDim: D, numTasks: 2, numExperts: 3, expertHidden: 4, outputDim: 3, seed: 2 })],
  ['Cgc', () => new Cgc({ inputDim: D, numTasks: 2, sharedExperts: 1, taskExperts: 2, expertHidden: 4, outputDim: 3, activation: 'swish', seed: 3 })],
  ['Ple (2 levels)', () => new Ple({ inputDim: D, numTasks: 3, levels: 2, sharedExperts: 2, taskExperts: 1, expertHidden: 4, outputDim: 3, activation: 'gelu', seed: 4 })],
];

/** Sum of all task outputs, so one scalar probes every path. */
function joint(block: Block, x: tf.Tensor2D): tf.Tensor {
  const f = block.apply(x);
  const out = tf.concat(f.outputs, 1);
  disposeMultiTaskForward(f);
  return out;
}

describeEachBackend('multi-task blocks', () => {
  for (const [name, make] of blocks) {
    it(`${name}: one [T, o] output per task, gradients match finite differences, no leaks`, async () => {
      const block = make();
      const x = tf.randomNormal([4, D], 0, 1, 'float32', 5) as tf.Tensor2D;
      await expectNoLeaks(async () => {
        const f = block.apply(x);
        expect(f.outputs.length).toBe(name.startsWith('Ple') ? 3 : 2);
        for (const o of f.outputs) expect(o.shape).toEqual([4, 3]);
        disposeMultiTaskForward(f);
        await checkGradients((a) => joint(block, a as tf.Tensor2D), [x]);
        const probe = tf.randomUniform([4, 3 * (name.startsWith('Ple') ? 3 : 2)], 0.5, 1.5, 'float32', 6);
        await checkVariableGradients(() => tf.sum(tf.mul(joint(block, x), probe)) as tf.Scalar, block.trainableVariables(), { maxCoordinates: 4 });
        probe.dispose();
      });
      x.dispose();
      block.dispose();
    });
  }

  it('Mmoe task output = that task softmax gate · expert outputs', async () => {
    const m = new Mmoe({ inputDim: D, numTasks: 2, numExperts: 3, expertHidden: 4, outputDim: 2, seed: 9 });
    const x = tf.randomNormal([6, D], 0, 1, 'float32', 1) as tf.Tensor2D;
    const f = m.apply(x);
    const w = m.getWeights();
    const expected = tf.tidy(() => {
      const g = tf.softmax(tf.matMul(x, w['gates.task1.gate.w'] as tf.Tensor2D));
      const parts = [0, 1, 2].map((e) => {
        const pick = (n: string) => tf.squeeze(tf.slice(w[`experts.${n}`], [e], [1]), [0]);
        const h = tf.relu(tf.add(tf.matMul(x, pick('w1') as tf.Tensor2D), pick('b1')));
        return tf.mul(tf.slice(g, [0, e], [-1, 1]), tf.add(tf.matMul(h, pick('w2') as tf.Tensor2D), pick('b2')));
      });
      return tf.addN(parts);
    });
    await expectClose(f.outputs[1], expected, { atol: 1e-5 });
    disposeMultiTaskForward(f);
    tf.dispose([x, expected, ...Object.values(w)]);
    m.dispose();
  });

  it('Cgc task gates never weight another task own experts', async () => {
    const c = new Cgc({ inputDim: D, numTasks: 2, sharedExperts: 1, taskExperts: 2, expertHidden: 4, outputDim: 3, seed: 3 });
    const x = tf.randomNormal([8, D], 0, 1, 'float32', 2) as tf.Tensor2D;
    const f = c.apply(x);
    const usage = await f.gateUsage.array();
    // Experts: [shared 0 | task0: 1, 2 | task1: 3, 4].
    expect(usage[0][3] + usage[0][4]).toBe(0);
    expect(usage[1][1] + usage[1][2]).toBe(0);
    expect(usage[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    disposeMultiTaskForward(f);
    x.dispose();
    c.dispose();
  });
}, testBackends().filter((b) => b !== 'webgpu'));

describe('multi-task argument errors', () => {
  it('name the field or argument', () => {
    expect(() => new Ple({ inputDim: D, numTasks: 2, levels: 0, sharedExperts: 1, taskExperts: 1, expertHidden: 2, outputDim: 2 })).toThrow(/Ple: levels must be an integer ≥ 1; got 0/);
    expect(() => new Cgc({ inputDim: D, numTasks: 2, sharedExperts: 0, taskExperts: 0, expertHidden: 2, outputDim: 2 })).toThrow(/Cgc: sharedExperts \+ taskExperts must be ≥ 1/);
    const m = new Mmoe({ inputDim: D, numTasks: 2, numExperts: 2, expertHidden: 2, outputDim: 2 });
    const bad = tf.zeros([3, D + 2]);
    expect(() => m.apply(bad as tf.Tensor2D)).toThrow(/Mmoe.apply: x must be float32 \[T, 5\]; got float32 \[3,7\]/);
    bad.dispose();
    m.dispose();
    expect(() => new ExpertNorm({ numExperts: 0, channels: 2 })).toThrow(/ExpertNorm: numExperts must be an integer ≥ 1; got 0/);
    expect(() => new ExpertNorm({ numExperts: 2, channels: 2, momentum: 1.5 })).toThrow(/ExpertNorm: momentum must be a finite number in \[0, 1\]; got 1.5/);
    expect(() => new ExpertNorm({ numExperts: 2, channels: 2, epsilon: 0 })).toThrow(/ExpertNorm: epsilon must be a finite number in \(0, ∞\); got 0/);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { checkVariableGradients, randomizeVariables } from '@moe/testing';
import type { Module } from '../module/module.js';
import { inferenceContext } from '../mlp/forward-context.js';
import { Mmoe } from './mmoe.js';
import { disposeMultiTaskForward, type MultiTaskForward } from './multitask-forward.js';
import { Cgc, Ple } from './ple.js';
import { SharedBottom } from './shared-bottom.js';
import { TaskGate } from './task-gate.js';
import { TaskTowers } from './task-towers.js';

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
      const g = tf.softmax(tf.matMul(x, w['gate1.router.gate.w'] as tf.Tensor2D));
      const parts = [0, 1, 2].map((e) => {
        const pick = (n: string) => w[`experts.expert${e}.${n}`];
        const h = tf.relu(tf.add(tf.matMul(x, pick('w0') as tf.Tensor2D), pick('b0')));
        return tf.mul(tf.slice(g, [0, e], [-1, 1]), tf.add(tf.matMul(h, pick('w1') as tf.Tensor2D), pick('b1')));
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
  it('Mmoe with per-domain gates: row r mixes with the softmax of its own domain gate (formula oracle: 2 rows, 2 experts)', async () => {
    const m = new Mmoe({ inputDim: 2, numTasks: 1, numExperts: 2, expertLayers: { sizes: [1] }, gateConditions: 2, gateBias: true, seed: 4 });
    randomizeGate(m);
    const x = tf.tensor2d([[1, -0.5], [0.25, 2]]);
    const domains = tf.tensor2d([[0, 1], [1, 0]]);
    const f = m.apply(x, { condition: domains });
    const w = m.getWeights();
    const [gw, gb, ew, eb] = await Promise.all([w['gate0.router.gate.w'].array(), w['gate0.router.gate.b'].array(), Promise.all([0, 1].map((e) => w[`experts.expert${e}.w0`].array())), Promise.all([0, 1].map((e) => w[`experts.expert${e}.b0`].array()))]) as [number[][], number[], number[][][], number[][]];
    const xv = [[1, -0.5], [0.25, 2]];
    const dom = [1, 0];
    // Gate columns: [domain 0: expert 0, 1 | domain 1: expert 0, 1].
    const expected = xv.map((row, r) => {
      const logit = (e: number) => row[0] * gw[0][dom[r] * 2 + e] + row[1] * gw[1][dom[r] * 2 + e] + gb[dom[r] * 2 + e];
      const z = Math.exp(logit(0)) + Math.exp(logit(1));
      const expert = (e: number) => Math.max(0, row[0] * ew[e][0][0] + row[1] * ew[e][1][0] + eb[e][0]);
      return (Math.exp(logit(0)) / z) * expert(0) + (Math.exp(logit(1)) / z) * expert(1);
    });
    await expectClose(f.outputs[0], expected, { atol: 1e-5 });
    disposeMultiTaskForward(f);
    tf.dispose([x, domains, ...Object.values(w)]);
    m.dispose();
  });

  it('TaskTowers: logit_t = tower_t(h)·w[t, d] + b[t, d] for the row domain d; gradients match finite differences', async () => {
    const heads = new TaskTowers({ inputDim: 3, numTasks: 2, tower: { sizes: [2] }, conditions: 2, seed: 5 });
    randomizeVariables(heads.namedVariables(), 3, 0.7);
    const x = tf.tensor2d([[0.5, -1, 2], [1, 0.25, -0.5]]);
    const domains = tf.tensor2d([[1, 0], [0, 1]]);
    const out = heads.apply(x, inferenceContext(), domains);
    const w = heads.getWeights();
    const xv = [[0.5, -1, 2], [1, 0.25, -0.5]];
    const dom = [0, 1];
    const arr = async (k: string) => (await w[k].array()) as number[][];
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      for (let t = 0; t < 2; t++) {
        const [tw, tb, ow, ob] = [await arr(`tower${t}.w0`), (await w[`tower${t}.b0`].array()) as number[], await arr(`w${t}`), await arr(`b${t}`)];
        const h = [0, 1].map((j) => Math.max(0, xv[r].reduce((a, v, i) => a + v * tw[i][j], tb[j])));
        expected.push(h[0] * ow[dom[r]][0] + h[1] * ow[dom[r]][1] + ob[dom[r]][0]);
      }
    }
    await expectClose(out, expected, { atol: 1e-5 });
    await expectNoLeaks(() => checkGradients((a) => heads.apply(a as tf.Tensor2D, inferenceContext(), domains), [x]));
    tf.dispose([x, domains, out, ...Object.values(w)]);
    heads.dispose();
  });
}, testBackends().filter((b) => b !== 'webgpu'));

/** Gate weights away from their near-uniform start, so the oracle sees distinct per-domain logits. */
function randomizeGate(m: Module): void {
  randomizeVariables(new Map([...m.namedVariables()].filter(([k]) => k.startsWith('gate'))), 13, 1);
}

describe('multi-task argument errors', () => {
  it('name the field or argument', () => {
    expect(() => new Ple({ inputDim: D, numTasks: 2, levels: 0, sharedExperts: 1, taskExperts: 1, expertHidden: 2, outputDim: 2 })).toThrow(/Ple: levels must be an integer ≥ 1; got 0/);
    expect(() => new Cgc({ inputDim: D, numTasks: 2, sharedExperts: 0, taskExperts: 0, expertHidden: 2, outputDim: 2 })).toThrow(/Cgc: sharedExperts \+ taskExperts must be ≥ 1/);
    const m = new Mmoe({ inputDim: D, numTasks: 2, numExperts: 2, expertHidden: 2, outputDim: 2 });
    const bad = tf.zeros([3, D + 2]);
    expect(() => m.apply(bad as tf.Tensor2D)).toThrow(/Mmoe.apply: x must be float32 \[T, 5\]; got float32 \[3,7\]/);
    bad.dispose();
    m.dispose();
    expect(() => new Mmoe({ inputDim: D, numTasks: 2, numExperts: 2, outputDim: 2 })).toThrow(/Mmoe: expertHidden must be an integer ≥ 1; got undefined/);
    expect(() => new Mmoe({ inputDim: D, numTasks: 2, numExperts: 2, expertLayers: { sizes: [2], norm: true } as never })).toThrow(/Mmoe: unknown config field\(s\) 'expertLayers.norm'/);
    expect(() => new Mmoe({ inputDim: D, numTasks: 2, numExperts: 2, expertHidden: 2, outputDim: 2, taskNames: ['a'] })).toThrow(/Mmoe: taskNames must name 2 tasks; got 1/);
    const g = new TaskGate({ inputDim: D, numExperts: 2, conditions: 3 });
    const x = tf.zeros([4, D]) as tf.Tensor2D;
    expect(() => g.apply(x)).toThrow(/TaskGate.apply: condition must be \[4, 3\] \(one row per token, e.g. a domain one-hot\); got undefined/);
    expect(() => new TaskGate({ inputDim: D, numExperts: 2, form: 'sparsemax' as never })).toThrow(/TaskGate: form must be one of 'softmax', 'self'/);
    x.dispose();
    g.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { combine, computeDispatchPlan, disposeDispatchPlan, dispatch, type DispatchPlan } from '@moe/kernels';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { activate } from './activation.js';
import { BottleneckAdapters } from './bottleneck-adapters.js';
import { DenseFfn } from './dense-ffn.js';
import type { ExpertBank } from './expert-bank.js';
import { FfnExperts } from './ffn-experts.js';
import { FilmExperts } from './film-experts.js';
import { LoraExperts } from './lora-experts.js';
import { RankOneExperts } from './rank-one-experts.js';
import { checkVariableGradients, randomizeVariables } from '@moe/testing';

const D = 4;
const E = 3;
// 6 tokens, top-2, with an unrouted slot (-1) and an expert (2) that gets 4 assignments.
const INDICES = [[0, 2], [2, 1], [1, -1], [2, 0], [0, 1], [2, 1]];
const WEIGHTS = [[0.7, 0.3], [0.6, 0.4], [1, 0], [0.5, 0.5], [0.8, 0.2], [0.9, 0.1]];

function banks(): [string, () => ExpertBank][] {
  return [
    ['FfnExperts relu', () => new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'relu', seed: 1 })],
    ['FfnExperts gelu', () => new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'gelu', seed: 2 })],
    ['FfnExperts swish', () => new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, outputDim: 3, activation: 'swish', seed: 3 })],
    ['FfnExperts swiglu (fine-grained)', () => new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 2, activation: 'swiglu', bias: false, seed: 4 })],
    ['LoraExperts', () => new LoraExperts({ numExperts: E, inputDim: D, outputDim: 5, rank: 2, alpha: 4, seed: 5 })],
    ['RankOneExperts', () => new RankOneExperts({ numExperts: E, inputDim: D, alpha: 2, seed: 6 })],
    ['BottleneckAdapters', () => new BottleneckAdapters({ numExperts: E, inputDim: D, bottleneckDim: 2, seed: 7 })],
    ['FilmExperts vector', () => new FilmExperts({ numExperts: E, inputDim: D, hiddenDim: 5, seed: 8 })],
    ['FilmExperts linear', () => new FilmExperts({ numExperts: E, inputDim: D, hiddenDim: 3, modulation: 'linear', seed: 9 })],
  ];
}

/** The mixture the MoE layer computes, with a given plan. */
function mixture(bank: ExpertBank, plan: DispatchPlan, x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => combine(bank.forwardGrouped(dispatch(bank.preDispatch(x), plan), plan), w, plan));
}

/** Reference: every (token, choice) run alone through a one-token plan, summed in JS order. */
async function perTokenReference(bank: ExpertBank, x: tf.Tensor2D): Promise<tf.Tensor2D> {
  const rows: tf.Tensor2D[] = [];
  for (let t = 0; t < INDICES.length; t++) {
    let acc = tf.zeros([1, bank.outputDim]) as tf.Tensor2D;
    for (let j = 0; j < 2; j++) {
      if (INDICES[t][j] < 0) continue;
      const idx = tf.tensor2d([[INDICES[t][j]]], [1, 1], 'int32');
      const plan = computeDispatchPlan(idx, E);
      const y = tf.tidy(() => tf.mul(WEIGHTS[t][j], mixture(bank, plan, tf.slice(x, [t, 0], [1, D]), tf.ones([1, 1]))));
      disposeDispatchPlan(plan);
      idx.dispose();
      const next = tf.add(acc, y) as tf.Tensor2D;
      tf.dispose([acc, y]);
      acc = next;
    }
    rows.push(acc);
  }
  const out = tf.concat(rows) as tf.Tensor2D;
  tf.dispose(rows);
  return out;
}

const nonWebGpu = testBackends().filter((b) => b !== 'webgpu');

for (const [name, make] of banks()) {
  const backends = name.startsWith('FfnExperts relu') ? testBackends() : nonWebGpu;
  describeEachBackend(name, () => {
    it('matches per-token evaluation, dropless and with capacity, gradients agree with finite differences, no leaks', async () => {
      const bank = make();
      randomizeVariables(bank.namedVariables());
      const x = tf.randomNormal([INDICES.length, D], 0, 1, 'float32', 11) as tf.Tensor2D;
      const w = tf.tensor2d(WEIGHTS);
      const idx = tf.tensor2d(INDICES, undefined, 'int32');
      const ref = await perTokenReference(bank, x);
      for (const capacity of [undefined, 4]) {
        const plan = computeDispatchPlan(idx, E, { capacity });
        await expectNoLeaks(async () => {
          const y = mixture(bank, plan, x, w);
          await expectClose(y, ref, { atol: 1e-4, rtol: 1e-3 }, `${name} capacity ${capacity}`);
          y.dispose();
        });
        disposeDispatchPlan(plan);
      }
      const plan = computeDispatchPlan(idx, E);
      await expectNoLeaks(async () => {
        await checkGradients((a, b) => mixture(bank, plan, a as tf.Tensor2D, b as tf.Tensor2D), [x, w]);
        const probe = tf.randomUniform([INDICES.length, bank.outputDim], 0.5, 1.5, 'float32', 3);
        await checkVariableGradients(() => tf.sum(tf.mul(mixture(bank, plan, x, w), probe)) as tf.Scalar, bank.trainableVariables());
        probe.dispose();
      });
      disposeDispatchPlan(plan);
      tf.dispose([x, w, idx, ref]);
      bank.dispose();
    });
  }, backends);
}

describeEachBackend('FfnExperts math', () => {
  it('expert e computes act(x·W1[e] + b1[e])·W2[e] + b2[e]', async () => {
    const bank = new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'relu', seed: 1 });
    randomizeVariables(bank.namedVariables());
    const wts = bank.getWeights();
    const x = tf.randomNormal([5, D], 0, 1, 'float32', 4) as tf.Tensor2D;
    for (let e = 0; e < E; e++) {
      const idx = tf.fill([5, 1], e, 'int32') as tf.Tensor2D;
      const plan = computeDispatchPlan(idx, E);
      const y = mixture(bank, plan, x, tf.ones([5, 1]));
      const expected = tf.tidy(() => {
        const pick = (n: string) => tf.squeeze(tf.slice(wts[n], [e], [1]), [0]);
        const h = tf.relu(tf.add(tf.matMul(x, pick('w1') as tf.Tensor2D), pick('b1')));
        return tf.add(tf.matMul(h, pick('w2') as tf.Tensor2D), pick('b2'));
      });
      await expectClose(y, expected, { atol: 1e-4 });
      tf.dispose([idx, y, expected]);
      disposeDispatchPlan(plan);
    }
    tf.dispose([x, ...Object.values(wts)]);
    bank.dispose();
  });
}, nonWebGpu);

describe('activations', () => {
  it('GELU is the tanh approximation 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))', async () => {
    const xs = [-3, -1, -0.2, 0, 0.5, 1, 2.5];
    const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    const t = tf.tensor1d(xs);
    const y = activate(t, 'gelu');
    await expectClose(y, xs.map(gelu), { atol: 1e-6, rtol: 1e-5 });
    const s = activate(t, 'swish');
    await expectClose(s, xs.map((x) => x / (1 + Math.exp(-x))), { atol: 1e-6, rtol: 1e-5 });
    tf.dispose([t, y, s]);
  });
});

describe('expert config errors', () => {
  it('name the field, the expectation and the value', () => {
    expect(() => new FfnExperts({ numExperts: 0, inputDim: 4, hiddenDim: 2 })).toThrow(/FfnExperts: numExperts must be an integer ≥ 1; got 0/);
    expect(() => new FfnExperts({ numExperts: 2, inputDim: 4, hiddenDim: 2, activation: 'tanh' as never })).toThrow(/activation must be one of .*; got "tanh"/);
    expect(() => new LoraExperts({ numExperts: 2, inputDim: 4, rank: 1.5 })).toThrow(/LoraExperts: rank must be an integer/);
    expect(() => new FilmExperts({ numExperts: 2, inputDim: 4, modulation: 'affine' as never })).toThrow(/modulation must be 'vector' or 'linear'; got "affine"/);
    const ffn = new DenseFfn({ inputDim: 4, hiddenDim: 8 });
    const bad = tf.zeros([3, 5]);
    expect(() => ffn.apply(bad)).toThrow(/DenseFfn.apply: x last dimension must be 4; got shape \[3,5\]/);
    bad.dispose();
    ffn.dispose();
  });

  it('LoRA and adapter experts start as a no-op (zero output projection)', async () => {
    const lora = new LoraExperts({ numExperts: 2, inputDim: 4, rank: 2 });
    const w2 = lora.getWeights()['w2'];
    expect(await w2.data()).toEqual(new Float32Array(2 * 2 * 4));
    expect(lora.paramsPerExpert()).toBe(4 * 2 + 2 * 4);
    tf.dispose(w2);
    lora.dispose();
  });
});

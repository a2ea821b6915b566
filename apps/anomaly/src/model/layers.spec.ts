import * as tf from '@tensorflow/tfjs-core';
import { it, expect } from 'vitest';
import { checkGradients, checkVariableGradients, describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { AnomalyModel, countModelParams, disposeOutput, topExpert } from './anomaly-model.js';
import { CausalTemporalConv } from './causal-temporal-conv.js';
import { DualMemory } from './dual-memory.js';
import { METHOD_NAMES } from './methods.js';
import { matchedConfigs } from './param-matching.js';
import { classExpertLoss, denseBceLoss, memoryLoss, topkMilLoss } from '../train/losses.js';

const base = { inputDim: 6, hiddenDim: 8, headHidden: 4, memorySlots: 3, classes: 3, seed: 5 };
const x = () => tf.randomNormal([2, 7, 6], 0, 1, 'float32', 11) as tf.Tensor3D;
let cpuReference: number[] | undefined;

describeEachBackend('anomaly layers and losses', (backend) => {
  it('causal temporal conv: gradients match finite differences, and the output never sees the future', async () => {
    const conv = new CausalTemporalConv({ channels: 4, kernel: 3, seed: 2 });
    const h = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
    await expectNoLeaks(async () => {
      await checkGradients((a) => conv.apply(a as tf.Tensor3D), [h]);
      const probe = tf.randomUniform([2, 5, 4], 0.5, 1.5, 'float32', 4);
      await checkVariableGradients(() => tf.sum(tf.mul(conv.apply(h), probe)) as tf.Scalar, conv.trainableVariables());
      probe.dispose();
      // Changing snippet 3 leaves outputs 0…2 unchanged.
      const changed = tf.tidy(() => tf.concat([tf.slice(h, [0, 0, 0], [2, 3, 4]), tf.add(tf.slice(h, [0, 3, 0], [2, 2, 4]), 5)], 1)) as tf.Tensor3D;
      const [y0, y1] = [conv.apply(h), conv.apply(changed)];
      const head = (y: tf.Tensor) => tf.slice(y, [0, 0, 0], [2, 3, 4]);
      const [a, b] = [head(y0), head(y1)];
      await expectClose(a, b, { atol: 1e-6 });
      tf.dispose([changed, y0, y1, a, b]);
    });
    h.dispose();
    conv.dispose();
  });

  it('dual memory: gradients through both reads and both match scores', async () => {
    const memory = new DualMemory({ channels: 4, slots: 3, seed: 1 });
    const h = tf.randomNormal([1, 4, 4], 0, 1, 'float32', 8) as tf.Tensor3D;
    await expectNoLeaks(async () => {
      const f = (a: tf.Tensor) => {
        const m = memory.apply(a as tf.Tensor3D);
        return tf.concat([tf.reshape(m.readAbnormal, [-1]), tf.reshape(m.readNormal, [-1]), tf.reshape(m.abnormalMatch, [-1]), tf.reshape(m.normalMatch, [-1])]);
      };
      await checkGradients(f, [h]);
      await checkVariableGradients(() => tf.sum(f(h)) as tf.Scalar, memory.trainableVariables());
    });
    h.dispose();
    memory.dispose();
  });

  it('MIL, class-expert, TGS and memory losses: gradients match finite differences', async () => {
    const scores = tf.sigmoid(tf.randomNormal([3, 8], 0, 1, 'float32', 21)) as tf.Tensor2D;
    const experts = tf.sigmoid(tf.randomNormal([3, 8, 2], 0, 1, 'float32', 22)) as tf.Tensor3D;
    const labels = tf.tensor1d([1, 0, 1]);
    const classIndex = tf.tensor1d([2, 0, 1], 'int32');
    const pseudo = tf.tensor2d([[0, 0.5, 1, 1, 0.5, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0.6, 0, 0, 0, 0, 0]]);
    const rows = tf.tensor1d([1, 0, 1]);
    await expectNoLeaks(async () => {
      await checkGradients((s) => topkMilLoss(s as tf.Tensor2D, labels, 2), [scores], { eps: 1e-3 });
      await checkGradients((e) => classExpertLoss(e as tf.Tensor3D, classIndex, 2), [experts], { eps: 1e-3 });
      await checkGradients((s) => denseBceLoss(s as tf.Tensor2D, pseudo, rows), [scores], { eps: 1e-3 });
      const normalMatch = tf.tidy(() => tf.reshape(tf.slice(experts, [0, 0, 0], [3, 8, 1]), [3, 8]));
      await checkGradients((a, n) => memoryLoss(a as tf.Tensor2D, n as tf.Tensor2D, labels, 2), [scores, normalMatch], { eps: 1e-3 });
      normalMatch.dispose();
    });
    tf.dispose([scores, experts, labels, classIndex, pseudo, rows]);
  });

  it('class-expert loss masks out videos of other classes', async () => {
    // Video 0 is class 1 (expert 0), video 1 normal; expert 1 sees only the normal video.
    const experts = tf.tensor3d([[[0.9, 0.9]], [[0.1, 0.1]]]);
    const loss = classExpertLoss(experts, tf.tensor1d([1, 0], 'int32'), 1);
    // Terms: expert 0 on video 0 (target 1), experts 0 and 1 on the normal video (target 0): 3 terms.
    expect((await loss.data())[0]).toBeCloseTo((-Math.log(0.9) - 2 * Math.log(0.9)) / 3, 5);
    tf.dispose([experts, loss]);
  });

  it('GS-MoE forward: gate rows sum to 1, the score mixes the experts, gradients reach every parameter', async () => {
    const model = new AnomalyModel({ ...base, method: 'gsmoe' });
    const input = x();
    await expectNoLeaks(async () => {
      const out = model.apply(input);
      expect(out.score.shape).toEqual([2, 7]);
      expect(out.expertScores!.shape).toEqual([2, 7, 3]);
      const gateSum = tf.sum(out.gate!, 2);
      const ones = tf.onesLike(gateSum);
      await expectClose(gateSum, ones, { atol: 1e-5 });
      ones.dispose();
      const mixed = tf.tidy(() => tf.sum(tf.mul(out.gate!, out.expertScores!), 2));
      await expectClose(mixed, out.score, { atol: 1e-6 });
      const top = topExpert(out);
      const experts = await top.data();
      expect(Array.from(experts).every((e) => e >= 1 && e <= 3)).toBe(true);
      if (backend === 'cpu') cpuReference = Array.from(await out.score.data());
      else if (cpuReference) await expectClose(out.score, cpuReference, { atol: 1e-4, rtol: 1e-3 });
      tf.dispose([gateSum, mixed, top]);
      disposeOutput(out);
      await checkVariableGradients(() => {
        const o = model.apply(input);
        const l = tf.sum(o.score);
        disposeOutput(o);
        return l as tf.Scalar;
      }, model.trainableVariables(), { maxCoordinates: 2 });
    });
    input.dispose();
    model.dispose();
  });

  it('counts parameters without building, and matches capacities to GS-MoE within 5%', () => {
    const configs = matchedConfigs({ ...base, hiddenDim: 32, inputDim: 32, headHidden: 16, memorySlots: 16, classes: 4 });
    const target = countModelParams(configs.gsmoe);
    for (const method of METHOD_NAMES) {
      const model = new AnomalyModel(configs[method]);
      expect(model.countParams(true), method).toBe(countModelParams(configs[method]));
      expect(Math.abs(model.countParams(true) - target) / target, method).toBeLessThan(0.05);
      model.dispose();
    }
  });

  it('refuses inputs of the wrong shape, naming them', () => {
    const model = new AnomalyModel({ ...base, method: 'mil' });
    const wrong = tf.zeros([1, 4, 5]) as tf.Tensor3D;
    expect(() => model.apply(wrong)).toThrow(/x must be \[videos, snippets, 6\], got \[1,4,5\]/);
    expect(() => new AnomalyModel({ ...base, method: 'urdmu', memorySlots: 0 })).toThrow(/memorySlots: method 'urdmu' has a memory/);
    wrong.dispose();
    model.dispose();
  });
});

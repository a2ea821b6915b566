import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, checkVariableGradients, describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { expect, it } from 'vitest';
import { MoeConfigError, MoeInputError } from '../errors/moe-error.js';
import { DenseFfn } from '../experts/dense-ffn.js';
import { deriveSeed } from '../module/seed.js';
import {
  GatedExpertHeads, disposeGatedExpertHeads, gatedExpertHeadsParamCount, topContributingExpert, type ExpertHeadMix, type GatedExpertHeadsConfig,
} from './gated-expert-heads.js';

/** A coded @moe/core error with this code and field. */
const coded = (code: string, field: string) => expect.objectContaining({ code, field });

// Host-side oracle in float64: the tanh GELU, a one-hidden-layer MLP with bias, sigmoid and softmax.
const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
interface HostMlp { w1: number[][]; b1: number[]; w2: number[][]; b2: number[] }
function mlp(m: HostMlp, x: number[]): number[] {
  const h = m.b1.map((b, j) => gelu(b + x.reduce((s, xi, i) => s + xi * m.w1[i][j], 0)));
  return m.b2.map((b, o) => b + h.reduce((s, hj, j) => s + hj * m.w2[j][o], 0));
}
function softmax(v: number[]): number[] {
  const e = v.map((a) => Math.exp(a - Math.max(...v)));
  return e.map((a) => a / e.reduce((s, b) => s + b, 0));
}
const toTensors = (prefix: string, m: HostMlp) => ({
  [`${prefix}.w1`]: tf.tensor2d(m.w1), [`${prefix}.b1`]: tf.tensor1d(m.b1), [`${prefix}.w2`]: tf.tensor2d(m.w2), [`${prefix}.b2`]: tf.tensor1d(m.b2),
});

// Two experts on 2-d inputs, hidden width 2; the gate sees [x, e0, e1] (4-d).
const HEAD0: HostMlp = { w1: [[0.5, -1], [0.25, 0.75]], b1: [0.1, -0.2], w2: [[1.5], [-0.5]], b2: [0.3] };
const HEAD1: HostMlp = { w1: [[-0.4, 0.6], [1, -0.3]], b1: [0, 0.2], w2: [[-1], [0.8]], b2: [-0.1] };
const GATE: HostMlp = { w1: [[0.2, -0.1], [0.3, 0.4], [-0.5, 0.6], [0.7, -0.2]], b1: [0.05, -0.05], w2: [[1, -1], [-0.5, 0.5]], b2: [0.1, 0] };
const ROWS = [[1, -2], [0.5, 0.25], [-1.5, 1]];

const small = (mix: ExpertHeadMix, seed = 3): GatedExpertHeadsConfig => ({ inputDim: 4, hiddenDim: 3, numExperts: mix === 'single' ? 1 : 3, mix, seed });

describeEachBackend('GatedExpertHeads', () => {
  it('formula oracle: gate s = Σ_c w_c·σ(e_c) with w = softmax(gate([x, e])), max s = max_c σ(e_c), single s = σ(e_0)', async () => {
    const x = tf.tensor2d(ROWS);
    await expectNoLeaks(async () => {
      for (const mix of ['gate', 'max', 'single'] as const) {
        const heads = new GatedExpertHeads({ inputDim: 2, hiddenDim: 2, numExperts: mix === 'single' ? 1 : 2, mix });
        const weights = { ...toTensors('head0', HEAD0), ...(mix === 'single' ? {} : toTensors('head1', HEAD1)), ...(mix === 'gate' ? toTensors('gate', GATE) : {}) };
        heads.setWeights(weights);
        tf.dispose(Object.values(weights));
        const e = ROWS.map((r) => (mix === 'single' ? [mlp(HEAD0, r)[0]] : [mlp(HEAD0, r)[0], mlp(HEAD1, r)[0]]));
        const p = e.map((row) => row.map(sigmoid));
        const w = ROWS.map((r, i) => softmax(mlp(GATE, [...r, ...e[i]])));
        const expected = p.map((row, i) => (mix === 'gate' ? row.reduce((s, pc, c) => s + w[i][c] * pc, 0) : Math.max(...row)));
        const out = heads.apply(x);
        expect(out.score.shape).toEqual([3]);
        await expectClose(out.score, expected, { atol: 1e-5 }, `${mix} score`);
        if (mix === 'single') expect(out.expertProbs).toBeNull();
        else await expectClose(out.expertProbs!, p.flat(), { atol: 1e-5 }, `${mix} expert probabilities`);
        if (mix === 'gate') await expectClose(out.gate!, w.flat(), { atol: 1e-5 }, 'gate weights');
        else expect(out.gate).toBeNull();
        disposeGatedExpertHeads(out);
        heads.dispose();
      }
    });
    x.dispose();
  });

  for (const mix of ['gate', 'max', 'single'] as const) {
    it(`${mix}: [B, T, D] in, [B, T] out; gradients to the input and every weight match finite differences`, async () => {
      const heads = new GatedExpertHeads(small(mix));
      const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 8);
      // Every output in one vector, so one scalar probes the score, the expert probabilities and the gate.
      const all = (a: tf.Tensor) => tf.tidy(() => {
        const out = heads.apply(a);
        return tf.concat([out.score, out.expertProbs, out.gate].filter((t): t is tf.Tensor => t !== null).map((t) => tf.reshape(t, [-1])));
      });
      await expectNoLeaks(async () => {
        const out = heads.apply(x);
        expect(out.score.shape).toEqual([2, 3]);
        if (mix !== 'single') expect(out.expertProbs!.shape).toEqual([2, 3, 3]);
        if (mix === 'gate') {
          const rows = tf.sum(out.gate!, 2);
          await expectClose(rows, new Array(6).fill(1), { atol: 1e-5 }, 'gate rows');
          rows.dispose();
        }
        disposeGatedExpertHeads(out);
        await checkGradients(all, [x]);
        const size = 6 * (mix === 'gate' ? 7 : mix === 'max' ? 4 : 1);
        const probe = tf.randomUniform([size], 0.5, 1.5, 'float32', 9);
        await checkVariableGradients(() => tf.sum(tf.mul(all(x), probe)) as tf.Scalar, heads.trainableVariables(), { maxCoordinates: 4 });
        probe.dispose();
      });
      x.dispose();
      heads.dispose();
    });
  }

  it('top contributing expert: argmax of w_c·σ(e_c) with a gate, of σ(e_c) without', async () => {
    const probs = tf.tensor2d([[0.9, 0.5], [0.2, 0.6]]);
    const gate = tf.tensor2d([[0.1, 0.9], [0.5, 0.5]]);
    await expectNoLeaks(async () => {
      const [withGate, without] = [topContributingExpert(probs, gate), topContributingExpert(probs, null)];
      expect(withGate.dtype).toBe('int32');
      expect(Array.from(await withGate.data())).toEqual([1, 1]);
      expect(Array.from(await without.data())).toEqual([0, 1]);
      tf.dispose([withGate, without]);
    });
    tf.dispose([probs, gate]);
  });

  it("children 'head<c>' / 'gate' seeded deriveSeed(seed, name); getConfig rebuilds the same block; parameter count without building", async () => {
    const heads = new GatedExpertHeads(small('gate', 7));
    expect([...heads.namedVariables().keys()].filter((k) => k.endsWith('.w1'))).toEqual(['head0.w1', 'head1.w1', 'head2.w1', 'gate.w1']);
    const alone = new DenseFfn({ inputDim: 4, hiddenDim: 3, outputDim: 1, activation: 'gelu', seed: deriveSeed(7, 'head1') });
    const rebuilt = new GatedExpertHeads(heads.getConfig() as unknown as GatedExpertHeadsConfig);
    const [mine, copy] = [heads.getWeights(), rebuilt.getWeights()];
    await expectClose(mine['head1.w1'], alone.getWeights().w1, { atol: 0 }, 'head1.w1');
    for (const k of Object.keys(mine)) await expectClose(copy[k], mine[k], { atol: 0 }, k);
    tf.dispose([...Object.values(mine), ...Object.values(copy)]);
    for (const mix of ['gate', 'max', 'single'] as const) {
      const m = new GatedExpertHeads(small(mix));
      expect(m.countParams(true), mix).toBe(gatedExpertHeadsParamCount(small(mix)));
      m.dispose();
    }
    [heads, alone, rebuilt].forEach((m) => m.dispose());
  });

  it('refuses unknown config keys, bad values and bad inputs with coded errors naming the field', () => {
    const unknown = () => new GatedExpertHeads({ ...small('gate'), experts: 3 } as never);
    expect(unknown).toThrow(MoeConfigError);
    expect(unknown).toThrow(coded('unknown_field', 'experts'));
    expect(unknown).toThrow(/GatedExpertHeads: unknown config field\(s\) 'experts'/);
    const mix = () => new GatedExpertHeads({ ...small('gate'), mix: 'mean' as never });
    expect(mix).toThrow(coded('invalid_field', 'mix'));
    expect(mix).toThrow(/GatedExpertHeads: mix must be one of 'gate', 'max', 'single'; got "mean"/);
    expect(() => new GatedExpertHeads({ ...small('single'), numExperts: 2 })).toThrow(coded('invalid_field', 'numExperts'));
    expect(() => new GatedExpertHeads({ ...small('max'), numExperts: 0 })).toThrow(/GatedExpertHeads: numExperts must be an integer ≥ 1; got 0/);
    const heads = new GatedExpertHeads(small('max'));
    const wrong = tf.zeros([2, 5]);
    expect(() => heads.apply(wrong)).toThrow(MoeInputError);
    expect(() => heads.apply(wrong)).toThrow(coded('invalid_tensor', 'x'));
    expect(() => heads.apply(wrong)).toThrow(/GatedExpertHeads.apply: x last dimension must be 4; got shape \[2,5\]/);
    wrong.dispose();
    heads.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { DenseFfn } from '../experts/dense-ffn.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { checkVariableGradients, randomizeVariables } from '@moe/testing';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { TopKRouter } from '../routers/top-k-router.js';
import { ExpertChoiceRouter } from '../routers/expert-choice-router.js';
import { NullExpertRouter } from '../routers/null-expert-router.js';
import { TopPRouter } from '../routers/top-p-router.js';
import { RecurrentRouter } from '../routers/recurrent-router.js';
import { disposeRouting, type Router } from '../routers/router.js';
import { MoeLayer, type MoeForward } from './moe-layer.js';
import { disposeRoutingStats, readRoutingStats } from '../telemetry/routing-stats.js';

const D = 6;
const E = 4;

function disposeForward(f: MoeForward): void {
  tf.dispose([f.output, f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
  f.state?.dispose();
}

function topKLayer(options: { dropless?: boolean; capacityFactor?: number; shared?: boolean } = {}): MoeLayer {
  const router = new TopKRouter({ inputDim: D, numExperts: E, k: 2, dropless: options.dropless ?? true, capacityFactor: options.capacityFactor, minCapacity: 1, gateInitScale: 2, seed: 3 });
  const experts = new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'gelu', seed: 4 });
  return new MoeLayer(router, experts, { shared: options.shared ? new DenseFfn({ inputDim: D, hiddenDim: 3, seed: 5 }) : undefined });
}

describeEachBackend('MoeLayer', () => {
  it('keeps the dense FFN shapes for [T, d] and [B, S, d] and leaks nothing', async () => {
    const layer = topKLayer({ shared: true });
    const x3 = tf.randomNormal([2, 5, D], 0, 1, 'float32', 1);
    const x2 = tf.reshape(x3, [10, D]);
    await expectNoLeaks(async () => {
      const a = layer.apply(x3, { training: false });
      const b = layer.apply(x2, { training: false });
      expect(a.output.shape).toEqual([2, 5, D]);
      expect(b.output.shape).toEqual([10, D]);
      const flat = tf.reshape(a.output, [10, D]);
      await expectClose(flat, b.output, { atol: 1e-5 });
      flat.dispose();
      expect(Object.keys(a.aux.parts)).toContain('balance');
      const stats = await readRoutingStats(a.stats);
      expect(stats.tokenShare.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(stats.expertsPerToken).toBe(2);
      disposeForward(a);
      disposeForward(b);
    });
    tf.dispose([x3, x2]);
    layer.dispose();
  });

  it('dense routing equals the softmax-weighted sum of every expert', async () => {
    const router = new SoftmaxRouter({ inputDim: D, numExperts: E, gateInitScale: 2, seed: 1 });
    const experts = new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'relu', seed: 2 });
    const layer = new MoeLayer(router, experts);
    const x = tf.randomNormal([7, D], 0, 1, 'float32', 2) as tf.Tensor2D;
    const f = layer.apply(x, { training: false });
    const w = experts.getWeights();
    const gate = router.getWeights();
    const expected = tf.tidy(() => {
      const p = tf.softmax(tf.matMul(x, gate['gate.w'] as tf.Tensor2D));
      const outs = [];
      for (let e = 0; e < E; e++) {
        const pick = (n: string) => tf.squeeze(tf.slice(w[n], [e], [1]), [0]);
        const h = tf.relu(tf.add(tf.matMul(x, pick('w1') as tf.Tensor2D), pick('b1')));
        outs.push(tf.mul(tf.slice(p, [0, e], [-1, 1]), tf.add(tf.matMul(h, pick('w2') as tf.Tensor2D), pick('b2'))));
      }
      return tf.addN(outs);
    });
    await expectClose(f.output, expected, { atol: 1e-4, rtol: 1e-3 });
    disposeForward(f);
    tf.dispose([x, expected, ...Object.values(w), ...Object.values(gate)]);
    layer.dispose();
  });

  it('gradients of input and every variable agree with finite differences (dropless top-2)', async () => {
    const layer = topKLayer({ shared: true });
    randomizeVariables(layer.experts.namedVariables(), 3, 0.4);
    const x = tf.randomNormal([5, D], 0, 1, 'float32', 9) as tf.Tensor2D;
    await expectNoLeaks(async () => {
      await checkGradients((a) => {
        const f = layer.apply(a, { training: false });
        const out = tf.add(f.output, f.aux.total);
        disposeForward(f);
        return out;
      }, [x], { eps: 1e-3, atol: 3e-2, rtol: 3e-2 });
      const probe = tf.randomUniform([5, D], 0.5, 1.5, 'float32', 3);
      await checkVariableGradients(() => {
        const f = layer.apply(x, { training: false });
        const l = tf.add(tf.sum(tf.mul(f.output, probe)), f.aux.total) as tf.Scalar;
        disposeForward(f);
        return l;
      }, layer.trainableVariables(), { eps: 1e-3, atol: 3e-2, rtol: 3e-2 });
      probe.dispose();
    });
    x.dispose();
    layer.dispose();
  });

  it('drops tokens beyond capacity and reports the dropped fraction', async () => {
    const layer = topKLayer({ dropless: false, capacityFactor: 0.25 });
    const x = tf.randomNormal([16, D], 0, 1, 'float32', 4);
    const f = layer.apply(x, { training: true });
    // C = ceil(0.25 · 2 · 16 / 4) = 2 per expert → at most 8 of 32 assignments survive.
    const stats = await readRoutingStats(f.stats);
    expect(stats.capacity).toBe(2);
    expect(stats.droppedRate).toBeGreaterThanOrEqual(0.75 - 1e-6);
    expect(stats.capacityUse?.max).toBeLessThanOrEqual(1);
    disposeForward(f);
    // A per-call override: dropless computes every assignment.
    const g = layer.apply(x, { training: true, capacity: 'dropless' });
    expect((await readRoutingStats(g.stats)).droppedRate).toBe(0);
    disposeForward(g);
    expect(() => layer.apply(x, { training: true, capacity: 0 })).toThrow(/MoeLayer.apply: options.capacity must be an integer ≥ 1 or 'dropless'; got 0/);
    x.dispose();
    layer.dispose();
  });
});

/** y_t = Σ over the routing's (token, expert, weight) triples of weight · FFN_e(x_t), computed per triple. */
async function referenceOutput(router: Router, experts: FfnExperts, x: tf.Tensor2D): Promise<tf.Tensor2D> {
  const r = router.route(x, { training: false });
  const triples: [number, number, number][] = [];
  if (r.mode === 'token-choice') {
    const [idx, w] = [await r.indices.array(), await r.weights.array()];
    idx.forEach((row, t) => row.forEach((e, j) => e >= 0 && triples.push([t, e, w[t][j]])));
  } else if (r.mode === 'expert-choice') {
    const [idx, w] = [await r.tokenIndices.array(), await r.weights.array()];
    idx.forEach((row, e) => row.forEach((t, j) => triples.push([t, e, w[e][j]])));
  }
  disposeRouting(r);
  const wts = experts.getWeights();
  const out = tf.tidy(() => {
    const rows = Array.from({ length: x.shape[0] }, () => tf.zeros([1, experts.outputDim]) as tf.Tensor);
    for (const [t, e, w] of triples) {
      const pick = (n: string) => tf.squeeze(tf.slice(wts[n], [e], [1]), [0]);
      const h = tf.relu(tf.add(tf.matMul(tf.slice(x, [t, 0], [1, -1]), pick('w1') as tf.Tensor2D), pick('b1')));
      rows[t] = tf.add(rows[t], tf.mul(w, tf.add(tf.matMul(h, pick('w2') as tf.Tensor2D), pick('b2'))));
    }
    return tf.concat(rows) as tf.Tensor2D;
  });
  tf.dispose(Object.values(wts));
  return out;
}

describeEachBackend('MoeLayer with every routing mode', () => {
  const routers: [string, () => Router][] = [
    ['expert choice (each expert picks C tokens)', () => new ExpertChoiceRouter({ inputDim: D, numExperts: E, capacityFactor: 1, gateInitScale: 2, seed: 5 })],
    ['top-p (a variable number of experts)', () => new TopPRouter({ inputDim: D, numExperts: E, threshold: 0.5, dropless: true, gateInitScale: 2, seed: 6 })],
    ['null experts (slots routed to nothing)', () => new NullExpertRouter({ inputDim: D, numExperts: E, numNullExperts: 2, k: 2, dropless: true, gateInitScale: 2, seed: 7 })],
  ];
  for (const [name, make] of routers) {
    it(`${name}: output equals the per-assignment reference`, async () => {
      const router = make();
      const experts = new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 5, activation: 'relu', seed: 8 });
      const layer = new MoeLayer(router, experts);
      const x = tf.randomNormal([10, D], 0, 1, 'float32', 3) as tf.Tensor2D;
      const expected = await referenceOutput(router, experts, x);
      await expectNoLeaks(async () => {
        const f = layer.apply(x, { training: false });
        await expectClose(f.output, expected, { atol: 1e-4, rtol: 1e-3 });
        disposeForward(f);
      });
      tf.dispose([x, expected]);
      layer.dispose();
    });
  }
});

describeEachBackend('stacked MoE layers with a recurrent router (RMoE)', () => {
  it('pass the router state from one layer to the next, and the state changes the routing', async () => {
    const make = (seed: number) => new MoeLayer(new RecurrentRouter({ inputDim: D, numExperts: E, k: 2, hiddenSize: 5, dropless: true, seed }), new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 4, seed }));
    const [l1, l2] = [make(1), make(2)];
    const x = tf.randomNormal([6, D], 0, 1, 'float32', 4);
    await expectNoLeaks(async () => {
      const f1 = l1.apply(x, { training: false });
      expect(f1.state?.shape).toEqual([6, 5]);
      const withState = l2.apply(f1.output, { training: false, state: f1.state });
      const fresh = l2.apply(f1.output, { training: false });
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(withState.output, fresh.output))));
      expect((await diff.data())[0]).toBeGreaterThan(0);
      diff.dispose();
      [f1, withState, fresh].forEach(disposeForward);
    });
    x.dispose();
    [l1, l2].forEach((l) => l.dispose());
  });
}, testBackends().filter((b) => b !== 'webgpu'));

describe('MoeLayer argument errors', () => {
  it('name the argument and the shapes', () => {
    const layer = topKLayer();
    const bad = tf.zeros([3, D + 1]);
    expect(() => layer.apply(bad, { training: false })).toThrow(/MoeLayer.apply: x last dimension must be 6; got shape \[3,7\]/);
    const bad4 = tf.zeros([1, 2, 3, D]);
    expect(() => layer.apply(bad4, { training: false })).toThrow(/MoeLayer.apply: x must have rank 2 or 3; got shape \[1,2,3,6\]/);
    tf.dispose([bad, bad4]);
    const router = new SoftmaxRouter({ inputDim: D, numExperts: 3 });
    const experts = new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 2 });
    expect(() => new MoeLayer(router, experts)).toThrow(/router.numExperts \(3\) must equal experts.numExperts \(4\)/);
    router.dispose();
    experts.dispose();
    layer.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { FfnExperts } from '../experts/ffn-experts.js';
import { TopKRouter } from '../routers/top-k-router.js';
import { SwitchRouter } from '../routers/switch-router.js';
import { TopPRouter } from '../routers/top-p-router.js';
import { NullExpertRouter } from '../routers/null-expert-router.js';
import { DenseToSparseRouter } from '../routers/dense-to-sparse-router.js';
import { BiasBalancedRouter } from '../routers/bias-balanced-router.js';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { ExpertChoiceRouter } from '../routers/expert-choice-router.js';
import { disposeRouting, type Router, type Routing } from '../routers/router.js';
import { loadBalancingLoss, selectedGateBalanceLoss } from '../losses/balance.js';
import { routerZLoss } from '../losses/z-loss.js';
import { MoeLayer } from './moe-layer.js';
import { disposeRoutingStats } from '../telemetry/routing-stats.js';

const D = 6;
const E = 4;
const ALPHA = 0.02;
const CZ = 1e-3;

/** The unweighted balance term each router should get from the layer, by the formula its paper uses. */
type Expected = 'switch-all-k' | 'evomoe' | 'none';

const CASES: [string, () => Router, Expected][] = [
  ['TopKRouter (learned noise: importance + load in its aux)', () => new TopKRouter({ inputDim: D, numExperts: E, k: 2, noise: 'learned', seed: 1 }), 'switch-all-k'],
  ['SwitchRouter', () => new SwitchRouter({ inputDim: D, numExperts: E, seed: 2 }), 'switch-all-k'],
  ['TopPRouter (dynamic loss in its aux)', () => new TopPRouter({ inputDim: D, numExperts: E, threshold: 0.5, seed: 3 }), 'switch-all-k'],
  ['NullExpertRouter (null-aware balance in its aux, none added)', () => new NullExpertRouter({ inputDim: D, numExperts: E, numNullExperts: 2, k: 2, seed: 4 }), 'none'],
  ['DenseToSparseRouter, dense phase (EvoMoE loss)', () => new DenseToSparseRouter({ inputDim: D, numExperts: E, seed: 5 }), 'evomoe'],
  ['BiasBalancedRouter (no balance loss)', () => new BiasBalancedRouter({ inputDim: D, numExperts: E, k: 2, seed: 6 }), 'none'],
  ['SoftmaxRouter (dense: z-loss only)', () => new SoftmaxRouter({ inputDim: D, numExperts: E, seed: 7 }), 'none'],
  ['ExpertChoiceRouter (z-loss only)', () => new ExpertChoiceRouter({ inputDim: D, numExperts: E, seed: 8 }), 'none'],
];

function expectedBalance(kind: Expected, r: Routing): tf.Scalar | undefined {
  if (kind === 'none' || r.mode !== 'token-choice') return undefined;
  return kind === 'evomoe' ? selectedGateBalanceLoss(r.indices, r.weights, E) : loadBalancingLoss(r.probs, r.indices, { form: 'all-k' });
}

describeEachBackend('MoeLayer aux terms, unweighted, equal the loss functions on the router outputs', () => {
  for (const [name, make, kind] of CASES) {
    it(name, async () => {
      const router = make();
      const layer = new MoeLayer(router, new FfnExperts({ numExperts: E, inputDim: D, hiddenDim: 3, seed: 9 }), { balanceWeight: ALPHA, balanceForm: 'all-k', zLossWeight: CZ });
      const x = tf.randomNormal([8, D], 0, 1, 'float32', 10) as tf.Tensor2D;
      // Same seed, no state update: the layer's routing is this routing.
      const options = { training: true, seed: 12, updateState: false };
      const r = router.route(x, options);
      await expectNoLeaks(async () => {
        const f = layer.apply(x, options);
        const parts = f.aux.parts;
        // The router's own terms pass through unchanged.
        for (const [part, value] of Object.entries(r.aux.parts)) await expectClose(parts[part], value, { atol: 1e-7 }, `aux.${part}`);
        const balance = tf.tidy(() => expectedBalance(kind, r));
        if (balance) {
          const unweighted = tf.div(parts.balance, ALPHA);
          await expectClose(unweighted, balance, { atol: 1e-6 }, 'balance / α');
          tf.dispose([unweighted, balance]);
        } else if (!(router instanceof NullExpertRouter)) {
          expect(parts.balance).toBeUndefined();
        }
        expect(parts.zLoss, 'aux.zLoss (every routing mode has one)').toBeDefined();
        const z = tf.tidy(() => [tf.div(parts.zLoss, CZ), routerZLoss(r.logits)]);
        await expectClose(z[0], z[1], { atol: 1e-5, rtol: 1e-5 }, 'zLoss / c_z');
        const sum = tf.addN(Object.values(parts));
        await expectClose(f.aux.total, sum, { atol: 1e-7 }, 'total = Σ parts');
        tf.dispose([...z, sum, f.output, f.aux.total, ...Object.values(parts)]);
        disposeRoutingStats(f.stats);
      });
      disposeRouting(r);
      x.dispose();
      layer.dispose();
    });
  }
});

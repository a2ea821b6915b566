import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks, useBackend } from '@moe/testing';
import { disposeRouting, type RouteOptions, type Router, type Routing } from './router.js';
import { routerFromConfig } from './registry.js';
import { variablesAsInputs } from '@moe/testing';
import { ROUTER_CASES, type RouterCase } from './router-cases.js';

/** Every tensor of a routing flattened into one vector, so one projection checks all of them. */
function flatRouting(r: Routing): tf.Tensor {
  const parts = [tf.reshape(r.weights, [-1]), tf.reshape(r.probs, [-1]), tf.reshape(r.aux.total, [1])];
  if (r.mode === 'token-choice' && r.state) parts.push(tf.reshape(r.state, [-1]));
  return tf.concat(parts);
}

function inputs(c: RouterCase): tf.Tensor2D {
  return tf.randomNormal([c.tokens, c.inputDim], 0, 1, 'float32', 7) as tf.Tensor2D;
}

function routeFlat(router: Router, x: tf.Tensor2D, options: RouteOptions): tf.Tensor {
  return tf.tidy(() => {
    const r = router.route(x, options);
    const flat = flatRouting(r);
    disposeRouting(r);
    return flat;
  });
}

async function checkShapes(c: RouterCase, r: Routing, T: number): Promise<void> {
  const E = c.numExperts;
  expect(r.probs.shape).toEqual([T, E]);
  expect(r.aux.total.shape).toEqual([]);
  const probSums = await tf.sum(r.probs, 1).data();
  probSums.forEach((s) => expect(s).toBeCloseTo(1, 4));
  if (r.mode === 'token-choice') {
    expect(r.indices.dtype).toBe('int32');
    expect(r.indices.shape[0]).toBe(T);
    expect(r.weights.shape).toEqual(r.indices.shape);
    const idx = await r.indices.data();
    const w = await r.weights.data();
    idx.forEach((e, i) => {
      expect(e).toBeGreaterThanOrEqual(-1);
      expect(e).toBeLessThan(E);
      if (e === -1) expect(w[i]).toBe(0);
    });
  } else if (r.mode === 'expert-choice') {
    expect(r.tokenIndices.shape[0]).toBe(E);
    expect(r.weights.shape).toEqual(r.tokenIndices.shape);
    (await r.tokenIndices.data()).forEach((t) => expect(t).toBeLessThan(T));
  } else {
    expect(r.weights.shape).toEqual([T, E]);
  }
}

describeEachBackend('router contract', (backend) => {
  for (const c of ROUTER_CASES) {
    if (c.backends && !c.backends.includes(backend)) continue;
    describe(c.name, () => {
      it('routes with the documented shapes in training and evaluation, without leaks', async () => {
        const router = c.make();
        const x = inputs(c);
        const extra = c.options?.(x);
        for (const training of [true, false]) {
          const r = await expectNoLeaks(() => router.route(x, { training, seed: 3, ...extra }), `${c.name}.route`);
          await checkShapes(c, r, c.tokens);
          disposeRouting(r);
        }
        c.disposeOptions?.();
        router.dispose();
        x.dispose();
      });

      it('rebuilds from its JSON config with identical weights and outputs', async () => {
        const router = c.make();
        const config = JSON.parse(JSON.stringify(router.getConfig()));
        const copy = routerFromConfig(config);
        expect(copy.getConfig()).toEqual(router.getConfig());
        expect([...copy.namedVariables().keys()]).toEqual([...router.namedVariables().keys()]);
        const x = inputs(c);
        const opts = { training: false, updateState: false, ...c.options?.(x) };
        const a = routeFlat(router, x, opts);
        const b = routeFlat(copy, x, opts);
        await expectClose(b, a, { atol: 1e-6 });
        tf.dispose([a, b, x]);
        c.disposeOptions?.();
        router.dispose();
        copy.dispose();
      });

      if (c.gradient !== false) {
        it('has finite-difference-exact gradients for its trainable weights and its input', async () => {
          const router = c.make();
          const x = inputs(c);
          // A fixed seed makes the noise identical on every probe; state updates are off so probes agree.
          const opts: RouteOptions = { training: c.gradientTraining ?? true, seed: 11, updateState: false, ...c.options?.(x) };
          const vars = c.gradientVariables?.(router) ?? router.trainableVariables();
          // Every probe is a full route plus a read-back; on lavapipe that costs ~10 ms, so webgpu checks fewer
          // coordinates per tensor (still every variable, and the same tolerance).
          const maxCoordinates = backend === 'webgpu' ? 4 : 12;
          expect(vars.length).toBeGreaterThan(0);
          const { f, restore } = variablesAsInputs(vars, () => routeFlat(router, x, opts));
          try {
            await checkGradients(f, vars, { eps: c.gradientEps, maxCoordinates });
          } finally {
            restore();
          }
          await checkGradients((xi) => routeFlat(router, xi as tf.Tensor2D, opts), [x], { eps: c.gradientEps, maxCoordinates });
          x.dispose();
          c.disposeOptions?.();
          router.dispose();
        });
      }
    });
  }
});

describe('router arguments', () => {
  beforeAll(() => useBackend('cpu'));
  for (const c of ROUTER_CASES) {
    it(`${c.name}: rejects a wrong input shape and bad config fields, naming them`, () => {
      const router = c.make();
      const bad = tf.zeros([3, c.inputDim + 1]) as tf.Tensor2D;
      expect(() => router.route(bad, { training: false, ...c.options?.(bad) })).toThrow(new RegExp(`x must have shape \\[T ≥ 1, ${c.inputDim}\\]`));
      const config = router.getConfig();
      const sizeField = 'numExperts' in config ? 'numExperts' : 'numClusters';
      expect(() => routerFromConfig({ ...config, [sizeField]: 0 })).toThrow(new RegExp(`${sizeField} must be an integer ≥ 1; got 0`));
      expect(() => routerFromConfig({ ...config, bogus: 1 })).toThrow(/unknown config field\(s\) 'bogus'/);
      for (const [field, value, message] of c.badConfig ?? []) {
        expect(() => routerFromConfig({ ...config, [field]: value })).toThrow(message);
      }
      bad.dispose();
      c.disposeOptions?.();
      router.dispose();
    });
  }
  it('routerFromConfig names the known kinds', () => {
    expect(() => routerFromConfig({ kind: 'Nope' })).toThrow(/config.kind must be one of .*TopKRouter.*; got "Nope"/);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, describeEachBackend, expectNoLeaks, testBackends } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { checkVariableGradients, randomizeVariables } from '@moe/testing';
import { Home } from './home.js';
import { disposeMultiTaskForward } from './multitask-forward.js';

const D = 5;

function make(): Home {
  return new Home({ inputDim: D, tasksPerCategory: [1, 2], metaShared: 1, metaPerCategory: 2, taskShared: 1, taskPerCategory: 1, taskSpecific: 1, expertHidden: 4, outputDim: 3, featureGateRank: 2, seed: 3 });
}

function joint(h: Home, x: tf.Tensor2D, training: boolean): tf.Tensor {
  const f = h.apply(x, { training });
  const out = tf.concat(f.outputs, 1);
  disposeMultiTaskForward(f);
  return out;
}

describeEachBackend('Home', () => {
  it('one output per task; gradients (feature gates, expert norm, self gates) match finite differences; no leaks', async () => {
    const home = make();
    // Move the feature gates away from (almost) the identity so their gradients are not trivially tiny.
    randomizeVariables(new Map([...home.namedVariables()].filter(([k]) => k.startsWith('featureGate'))), 5, 0.3);
    const x = tf.randomNormal([6, D], 0, 1, 'float32', 2) as tf.Tensor2D;
    await expectNoLeaks(async () => {
      const f = home.apply(x, { training: true });
      expect(f.outputs.length).toBe(3);
      for (const o of f.outputs) expect(o.shape).toEqual([6, 3]);
      expect(f.gateUsage.shape).toEqual([3, 1 + 2 * 1 + 3 * 1]);
      disposeMultiTaskForward(f);
      await checkGradients((a) => joint(home, a as tf.Tensor2D, true), [x], { eps: 3e-3, atol: 3e-2, rtol: 3e-2 });
      const probe = tf.randomUniform([6, 9], 0.5, 1.5, 'float32', 6);
      await checkVariableGradients(() => tf.sum(tf.mul(joint(home, x, true), probe)) as tf.Scalar, home.trainableVariables(), { maxCoordinates: 3, eps: 3e-3, atol: 3e-2, rtol: 3e-2 });
      probe.dispose();
    });
    // Evaluation uses the running statistics the training calls accumulated: a different, finite output.
    const evalOut = joint(home, x, false);
    expect(Number.isFinite((await evalOut.data())[0])).toBe(true);
    tf.dispose([x, evalOut]);
    home.dispose();
  });
}, testBackends().filter((b) => b !== 'webgpu'));

describe('Home config errors', () => {
  it('name the field', () => {
    expect(() => new Home({ inputDim: D, tasksPerCategory: [], expertHidden: 2, outputDim: 2 })).toThrow(/tasksPerCategory must list at least one category; got \[\]/);
    expect(() => new Home({ inputDim: D, tasksPerCategory: [1], expertHidden: 2, outputDim: 2, featureGateRank: -1 })).toThrow(/Home: featureGateRank must be an integer ≥ 0; got -1/);
  });
});

// An example consumer of @moe/core: imports the package by name exactly as another team would (only its
// public barrel), builds an MoE layer from public classes, trains it briefly and rebuilds it from its config.
import * as tf from '@tensorflow/tfjs-core';
import { FfnExperts, MoeLayer, TopKRouter, moduleFromConfig, moduleSpec, readRoutingStats, disposeRoutingStats, type MoeForward } from '@moe/core';
import { prepareBackend } from '@moe/runtime';
import { beforeAll, describe, expect, it } from 'vitest';

function release(f: MoeForward): void {
  tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
}

describe('@moe/core as a dependency', () => {
  beforeAll(async () => {
    const attempt = await prepareBackend('wasm', {});
    if (!attempt.ok) throw new Error(`wasm backend cannot start: ${attempt.reason}`);
    await tf.setBackend('wasm');
  });

  it('trains a tiny top-2 MoE layer: the loss falls and routing stays spread over experts', async () => {
    const d = 8;
    const layer = new MoeLayer(
      new TopKRouter({ inputDim: d, numExperts: 4, k: 2, dropless: true, seed: 1 }),
      new FfnExperts({ numExperts: 4, inputDim: d, hiddenDim: 16, activation: 'gelu', seed: 2 }),
    );
    // Target: a fixed random linear map of the input.
    const target = tf.randomNormal([d, d], 0, 0.5, 'float32', 3);
    const x = tf.randomNormal([64, d], 0, 1, 'float32', 4) as tf.Tensor2D;
    const y = tf.matMul(x, target);
    const optimizer = tf.train.adam(1e-2);
    const losses: number[] = [];
    for (let step = 0; step < 60; step++) {
      const loss = optimizer.minimize(() => {
        const f = layer.apply(x, { training: true });
        const mse = tf.mean(tf.square(tf.sub(f.output, y)));
        const total = tf.add(mse, f.aux.total) as tf.Scalar;
        release(f);
        return total;
      }, true, layer.trainableVariables()) as tf.Scalar;
      if (step === 0 || step === 59) losses.push((await loss.data())[0]);
      loss.dispose();
    }
    expect(losses[1]).toBeLessThan(losses[0] * 0.5);

    const f = layer.apply(x, { training: false });
    const stats = await readRoutingStats(f.stats);
    expect(stats.activeExperts).toBeGreaterThanOrEqual(3);
    expect(f.output.shape).toEqual([64, d]);

    // Rebuild from config + weights: identical outputs.
    const copy = moduleFromConfig(moduleSpec(layer)) as MoeLayer;
    const weights = layer.getWeights();
    copy.setWeights(weights);
    const g = copy.apply(x, { training: false });
    expect(Array.from(await g.output.data())).toEqual(Array.from(await f.output.data()));
    release(f);
    release(g);
    tf.dispose([f.output, g.output, target, x, y, ...Object.values(weights)]);
    optimizer.dispose();
    layer.dispose();
    copy.dispose();
  });
});

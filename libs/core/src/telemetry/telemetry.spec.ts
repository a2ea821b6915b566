import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks, useBackend } from '@moe/testing';
import { auxFromParts } from '../routers/aux.js';
import type { Routing } from '../routers/router.js';
import { disposeRouting } from '../routers/router.js';
import { disposeRoutingStats, readRoutingStats, routingStats } from './routing-stats.js';
import { RoutingConsistency } from './routing-consistency.js';

function tokenChoice(indices: number[][]): Routing {
  const T = indices.length;
  return {
    mode: 'token-choice',
    indices: tf.tensor2d(indices, undefined, 'int32'),
    weights: tf.tensor2d(indices.map((r) => r.map((e) => (e < 0 ? 0 : 0.5)))),
    probs: tf.fill([T, 3], 1 / 3) as tf.Tensor2D,
    logits: tf.zeros([T, 3]) as tf.Tensor2D,
    aux: auxFromParts({}),
  };
}

describeEachBackend('routing telemetry', () => {
  it('token share, entropy, dropped rate and capacity use match hand counts', async () => {
    const r = tokenChoice([[0, 1], [1, 2], [0, -1], [0, 1]]);
    const counts = tf.tensor1d([2, 2, 1], 'int32'); // what a capacity-2 plan keeps of router counts [3, 3, 1]
    const dropped = tf.scalar(2, 'int32');
    const v = await expectNoLeaks(async () => {
      const s = routingStats(r, { capacity: 2, counts, dropped });
      const values = await readRoutingStats(s);
      disposeRoutingStats(s);
      return values;
    });
    expect(v.expertCounts).toEqual([2, 2, 1]);
    expect(v.tokenShare.map((x) => +x.toFixed(6))).toEqual([0.4, 0.4, 0.2]);
    expect(v.maxShare).toBeCloseTo(0.4, 6);
    expect(v.activeExperts).toBe(3);
    expect(v.expertsPerToken).toBeCloseTo(7 / 4, 6);
    expect(v.droppedRate).toBeCloseTo(2 / 7, 6);
    expect(v.unroutedRate).toBe(0);
    expect(v.capacityUse?.mean).toBeCloseTo((1 + 1 + 0.5) / 3, 6);
    expect(v.capacityUse?.max).toBeCloseTo(1, 6);
    expect(v.entropy).toBeCloseTo(Math.log(3), 5);
    expect(v.normalizedEntropy).toBeCloseTo(1, 5);
    tf.dispose([counts, dropped]);
    disposeRouting(r);
  });

  it('router counts without a plan; unrouted tokens; dropless has no capacity use', async () => {
    const r = tokenChoice([[0, -1], [-1, -1], [2, -1]]);
    const s = routingStats(r);
    const v = await readRoutingStats(s);
    expect(v.expertCounts).toEqual([1, 0, 1]);
    expect(v.activeExperts).toBe(2);
    expect(v.unroutedRate).toBeCloseTo(1 / 3, 6);
    expect(v.capacityUse).toBeUndefined();
    disposeRoutingStats(s);
    disposeRouting(r);
  });

  it('consistency: fraction of tokens whose first choice is unchanged between batches', async () => {
    const tracker = new RoutingConsistency();
    const first = tokenChoice([[0, 1], [1, 2], [0, 2], [0, 1]]);
    const second = tokenChoice([[0, 2], [2, 1], [0, 1], [1, 0]]);
    const read = async (r: Routing) => {
      const s = routingStats(r, { keepTop1: true });
      const v = await readRoutingStats(s);
      disposeRoutingStats(s);
      disposeRouting(r);
      return v;
    };
    expect(tracker.update(await read(first))).toBeUndefined();
    expect(tracker.update(await read(second))).toBeCloseTo(0.5, 6); // tokens 0 and 2 keep expert 0
    expect(() => tracker.update({})).toThrow(/keepTop1: true/);
  });
}, ['cpu', 'wasm', 'webgpu']);

describe('routing telemetry arguments', () => {
  beforeAll(() => useBackend('cpu'));
  it('rejects counts of the wrong length', () => {
    const r = tokenChoice([[0, 1]]);
    const counts = tf.tensor1d([1, 1]);
    expect(() => routingStats(r, { counts })).toThrow(/options.counts must have shape \[3\]; got \[2\]/);
    counts.dispose();
    disposeRouting(r);
  });
});

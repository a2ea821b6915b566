import { SeaGenerator, type Schema } from '@moe/stream';
import { describe, expect, it } from 'vitest';
import { runCvPrequential } from '../bench/cv-prequential.js';
import { DriftMoeData } from './drift-moe-data.js';
import { restoreLearner, type LearnerState } from './methods.js';
import type { StreamLearner } from './stream-learner.js';

const sea = (n: number, seed = 3) => {
  const g = new SeaGenerator({ function: 2, instanceRandomSeed: seed });
  return Array.from({ length: n }, () => g.nextInstance());
};
const isFloat32 = (a: ArrayLike<number>) => Array.from(a).every((v) => Math.fround(v) === v);

describe('MoE-Data fidelity switches (drift-gap bench)', () => {
  it('float32Router keeps parameters, moments and activations at float32; the default keeps float64', () => {
    const data = sea(600);
    const run = (float32Router: boolean) => {
      const l = new DriftMoeData(new SeaGenerator().schema, { seed: 4, float32Router });
      for (const { x, y } of data) l.learn(x, y);
      return l;
    };
    const f32 = run(true);
    expect(isFloat32(f32.router.params)).toBe(true);
    expect(isFloat32(f32.router.adam.m)).toBe(true);
    expect(isFloat32(f32.router.adam.v)).toBe(true);
    const act = f32.router.newActivations();
    f32.router.forward(data[0].x, act);
    expect(isFloat32(act.h1) && isFloat32(act.h2) && isFloat32(act.logits)).toBe(true);
    expect(isFloat32(run(false).router.params)).toBe(false);
    // The float32 router is deliberately not bit-identical to the float64 one (else the switch measures nothing).
    expect(Array.from(f32.router.params)).not.toEqual(Array.from(run(false).router.params));
  });

  it('float32Votes rounds expert votes before argmax and the mask; routerDropout draws dropout masks', () => {
    const schema = new SeaGenerator().schema;
    const data = sea(1500);
    const preds = (o: ConstructorParameters<typeof DriftMoeData>[1]) => {
      const l = new DriftMoeData(schema, { seed: 2, ...o });
      return data.map(({ x, y }) => {
        const p = l.predict(x);
        l.learn(x, y);
        return p;
      });
    };
    const base = preds({});
    expect(preds({ routerDropout: true })).not.toEqual(base);
    expect(preds({ float32Votes: true }).length).toBe(base.length);
    // A learner with dropout active restores exactly (its java.util.Random is part of the state).
    const a = new DriftMoeData(schema, { seed: 5, routerDropout: true });
    for (const { x, y } of data.slice(0, 700)) a.learn(x, y);
    const b = restoreLearner(schema, JSON.parse(JSON.stringify(a.getState())) as LearnerState);
    for (const { x, y } of data.slice(700)) {
      expect(b.predict(x)).toBe(a.predict(x));
      a.learn(x, y);
      b.learn(x, y);
    }
  });
});

describe('runCvPrequential', () => {
  it('tests each instance on one random copy and trains every other copy on it', async () => {
    const schema: Schema = new SeaGenerator().schema;
    const tested: number[] = [];
    const learnt: number[] = [];
    const copies = (fold: number): StreamLearner => ({
      method: 'probe',
      schema,
      predict: () => {
        tested.push(fold);
        return fold % 2;
      },
      predictVotes: () => new Float64Array(2),
      learn: () => void learnt.push(fold),
      stats: () => ({ expertUsage: [], driftDetections: 0, driftPositions: [] }),
      getState: () => ({}),
    });
    const data = sea(400);
    const r = await runCvPrequential(copies, data, { folds: 4, seed: 9 });
    expect(r.metrics.instances).toBe(400);
    expect(tested).toHaveLength(400);
    expect(learnt).toHaveLength(400 * 3);
    // Every copy is used for testing, roughly a quarter of the time each.
    for (let f = 0; f < 4; f++) expect(tested.filter((t) => t === f).length).toBeGreaterThan(60);
    await expect(runCvPrequential(copies, data, { folds: 1, seed: 1 })).rejects.toThrow(/folds: expected an integer ≥ 2, got 1/);
  });
});

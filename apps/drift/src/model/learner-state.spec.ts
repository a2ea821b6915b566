import { describe, expect, it } from 'vitest';
import { paperStream } from '../data/paper-streams.js';
import { createLearner, METHODS, restoreLearner, type LearnerState } from './methods.js';

/** Compares two states' JSON, reporting only the first difference (the states are megabytes long). */
function expectSameJson(a: unknown, b: unknown): void {
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  let i = 0;
  while (i < sa.length && sa[i] === sb[i]) i++;
  expect(i === sa.length && sa.length === sb.length ? 'same' : `differ at ${i}: …${sa.slice(Math.max(0, i - 80), i + 40)}… vs …${sb.slice(Math.max(0, i - 80), i + 40)}…`).toBe('same');
}

describe('learner snapshots', () => {
  for (const method of METHODS) {
    it(`${method}: a learner restored from JSON predicts and learns exactly like the original`, () => {
      const stream = paperStream('sea_a', 3);
      const original = createLearner(method, stream.schema, { seed: 3, arfSize: 4 });
      // 300 instances: routers have taken Adam steps and hold a partial batch; trees have split.
      for (let i = 0; i < 300; i++) {
        const { x, y } = stream.nextInstance();
        original.predict(x);
        original.learn(x, y);
      }
      const state = JSON.parse(JSON.stringify(original.getState())) as LearnerState;
      const copy = restoreLearner(stream.schema, state);
      expectSameJson(copy.getState(), original.getState());
      for (let i = 0; i < 150; i++) {
        const { x, y } = stream.nextInstance();
        expect(copy.predict(x)).toBe(original.predict(x));
        copy.learn(x, y);
        original.learn(x, y);
      }
      expect(copy.stats()).toEqual(original.stats());
    });
  }

  it('rejects an unknown method naming the field', () => {
    const stream = paperStream('sea_a', 1);
    expect(() => restoreLearner(stream.schema, { method: 'nope' } as unknown as LearnerState)).toThrow(/state.method: expected one of .* got 'nope'/);
    expect(() => createLearner('nope', stream.schema)).toThrow(/method: expected one of/);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './state-codec.js';

describe('learner state codec', () => {
  it('round-trips numbers plain JSON would lose', () => {
    const state = { a: [1.5, NaN, Infinity, -Infinity, -0, 0.1 + 0.2], nested: { v: NaN, t: Float64Array.of(1, -Infinity) } };
    const back = decodeState(encodeState(state)) as { a: number[]; nested: { v: number; t: number[] } };
    expect(back.a).toEqual([1.5, NaN, Infinity, -Infinity, -0, 0.1 + 0.2]);
    expect(Object.is(back.a[4], -0)).toBe(true);
    expect(back.nested.v).toBeNaN();
    expect(back.nested.t).toEqual([1, -Infinity]);
  });

  it('writes plain JSON when every number is finite', () => {
    const state = { w: [0.30000000000000004, 1e-300, -2.5], k: 'x' };
    expect(encodeState(state)).toBe(JSON.stringify(state));
    expect(decodeState(encodeState(state))).toEqual(state);
  });
});

import { describe, expect, it } from 'vitest';
import { Adam } from './adam.js';

describe('Adam (float64, torch formulation)', () => {
  it('matches the textbook bias-corrected update m̂ / (√v̂ + ε)', () => {
    const adam = new Adam(2, 0.1);
    const p = new Float64Array([1, -2]);
    const grads = [new Float64Array([0.5, -3]), new Float64Array([-1, 0.25]), new Float64Array([2, 2])];
    const want = [1, -2];
    const m = [0, 0];
    const v = [0, 0];
    grads.forEach((g, t) => {
      adam.update(p, g);
      for (let i = 0; i < 2; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        const mHat = m[i] / (1 - 0.9 ** (t + 1));
        const vHat = v[i] / (1 - 0.999 ** (t + 1));
        want[i] -= (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    });
    expect(adam.step).toBe(3);
    for (let i = 0; i < 2; i++) expect(p[i]).toBeCloseTo(want[i], 12);
  });

  it('restores its state exactly and refuses a state of another size', () => {
    const a = new Adam(3, 0.01);
    const p = new Float64Array([0.1, 0.2, 0.3]);
    a.update(p, new Float64Array([1, -1, 0.5]));
    const b = new Adam(3, 0.01);
    b.setState(JSON.parse(JSON.stringify(a.getState())) as ReturnType<Adam['getState']>);
    const q = Float64Array.from(p);
    a.update(p, new Float64Array([0.3, 0.3, -2]));
    b.update(q, new Float64Array([0.3, 0.3, -2]));
    expect(Array.from(q)).toEqual(Array.from(p));
    expect(() => new Adam(2, 0.01).setState(a.getState())).toThrow(/Adam: state must hold 2 moments; got m=3, v=3/);
  });

  it('rejects a bad size or learning rate naming the field', () => {
    expect(() => new Adam(4, 0)).toThrow(/Adam: lr must be a finite number in \(0, ∞\); got 0/);
    expect(() => new Adam(1.5, 0.1)).toThrow(/Adam: size must be an integer ≥ 0; got 1.5/);
    expect(() => new Adam(4, Number.NaN)).toThrow(expect.objectContaining({ name: 'MoeConfigError', code: 'invalid_field', owner: 'Adam', field: 'lr' }));
  });
});

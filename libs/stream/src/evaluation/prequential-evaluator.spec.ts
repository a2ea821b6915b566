import { describe, expect, it } from 'vitest';
import { PrequentialEvaluator } from './prequential-evaluator.js';

describe('PrequentialEvaluator', () => {
  it('computes accuracy, kappa, kappa_m and kappa_t as MOA does (worked example)', () => {
    // y = 0,1,1,0; pred = 0,1,0,0 → p0 = 3/4. Predicted marginals (3,1), actual (2,2): pc = 1/2 → κ = 1/2.
    // "previous label" (starting at 0) is right at t = 0 and 2: pe = 1/2 → κ_t = 1/2.
    // Majority after adding the label: 0 ✓, tie → 0 ✗, 1 ✓, tie → 0 ✓: pm = 3/4 → κ_m = 0.
    const e = new PrequentialEvaluator(2, 2);
    [[0, 0], [1, 1], [1, 0], [0, 0]].forEach(([y, p]) => e.add(y, p));
    const m = e.cumulative();
    expect(m.accuracy).toBe(0.75);
    expect(m.kappa).toBeCloseTo(0.5, 15);
    expect(m.kappaT).toBeCloseTo(0.5, 15);
    expect(m.kappaM).toBeCloseTo(0, 15);
    const w = e.windowed();
    expect(w.instances).toBe(2);
    expect(w.accuracy).toBe(0.5);
  });

  it('counts an out-of-range prediction as wrong and rejects bad labels', () => {
    const e = new PrequentialEvaluator(2);
    e.add(1, 4);
    expect(e.cumulative().accuracy).toBe(0);
    expect(() => e.add(2, 0)).toThrow(/label must be a class index 0..1, got 2/);
    expect(() => new PrequentialEvaluator(1)).toThrow(/numClasses/);
  });

  it('restores from getState and then continues exactly as the saved evaluator (windowed metrics included)', () => {
    const a = new PrequentialEvaluator(3, 50);
    let r = 7;
    const next = () => (r = (r * 1103515245 + 12345) % 2147483648) % 3;
    for (let i = 0; i < 180; i++) a.add(next(), next());
    const b = PrequentialEvaluator.fromState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.windowed()).toEqual(a.windowed());
    expect(b.cumulative()).toEqual(a.cumulative());
    for (let i = 0; i < 75; i++) {
      const [y, p] = [next(), next()];
      a.add(y, p);
      b.add(y, p);
    }
    expect(b.windowed()).toEqual(a.windowed());
    expect(b.cumulative()).toEqual(a.cumulative());
    // A fresh evaluator (what a restore gave before) reports a different window: the test can fail.
    expect(new PrequentialEvaluator(3, 50).windowed()).not.toEqual(a.windowed());
  });

  it('refuses a state that does not fit, naming the field', () => {
    const s = new PrequentialEvaluator(2, 4).getState();
    expect(() => PrequentialEvaluator.fromState({ ...s, ringY: [0, 1] })).toThrow(/state.ringY: expected 4 entries, got 2/);
    expect(() => PrequentialEvaluator.fromState({ ...s, head: 9 })).toThrow(/state.head/);
    expect(() => PrequentialEvaluator.fromState({ ...s, total: { ...s.total, actual: [1] } })).toThrow(/state.total/);
  });
});

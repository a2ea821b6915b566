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
});

import { describe, expect, it } from 'vitest';
import { findTgsPeaks, tgsPseudoLabels } from './tgs.js';

describe('temporal Gaussian splatting pseudo-labels', () => {
  it('spreads a peak over its half-maximum extent with σ in snippet units', () => {
    const s = [0.1, 0.1, 0.2, 0.6, 0.9, 0.7, 0.6, 0.2, 0.1, 0.1];
    const [peak] = findTgsPeaks(s);
    expect(peak).toEqual({ position: 4, left: 1, right: 2, sigma: 1.5 });
    const y = tgsPseudoLabels(s);
    expect(y[4]).toBe(1);
    expect(y[3]).toBeCloseTo(Math.exp(-1 / (2 * 1.5 ** 2)), 6);
    expect(y[6]).toBeCloseTo(Math.exp(-4 / (2 * 1.5 ** 2)), 6);
    expect([y[0], y[1], y[2], y[7], y[8], y[9]]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('covers a long plateau with one kernel instead of a near-delta', () => {
    const s = Array.from({ length: 30 }, (_, t) => (t >= 8 && t < 22 ? 0.8 : 0.1));
    const y = tgsPseudoLabels(s);
    const covered = Array.from(y).filter((v) => v > 0).length;
    expect(covered).toBe(14);
    expect(Math.min(...Array.from(y).slice(8, 22))).toBeGreaterThan(0.05);
  });

  it('gives no labels to a flat or low curve, and clips overlapping kernels to 1', () => {
    expect(Array.from(tgsPseudoLabels([0.3, 0.32, 0.31, 0.3]))).toEqual([0, 0, 0, 0]);
    expect(findTgsPeaks([0.1, 0.45, 0.1])).toEqual([]); // below minPeak
    const y = tgsPseudoLabels([0.1, 0.9, 0.8, 0.95, 0.8, 0.9, 0.1]);
    expect(Math.max(...y)).toBeLessThanOrEqual(1);
    expect(findTgsPeaks([0.1, 0.9, 0.8, 0.95, 0.8, 0.9, 0.1]).map((p) => p.position)).toEqual([3]);
  });
});

import { describe, expect, it } from 'vitest';
import { apStep, apTrapezoid, precisionRecallCurve, rocAuc } from './metrics.js';
import { bestF1Threshold } from './alert-threshold.js';

// Worked by hand: positives {0.9, 0.8, 0.5, 0.35}, negatives {0.8, 0.4, 0.2, 0.1} (one tie across classes).
const scores = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9, 0.5];
const labels = [0, 0, 1, 1, 0, 0, 1, 1];

describe('snippet metrics', () => {
  it('ROC-AUC counts ties half (Mann–Whitney): 12.5 of 16 pairs', () => {
    expect(rocAuc(scores, labels)).toBeCloseTo(12.5 / 16, 12);
    expect(rocAuc([1, 2, 3], [0, 0, 0])).toBeNaN();
    expect(rocAuc([0.2, 0.1], [1, 0])).toBe(1);
  });

  it('PR curve: (0, 1) first, then one point per distinct threshold', () => {
    const { precision, recall } = precisionRecallCurve(scores, labels);
    expect(recall).toEqual([0, 0.25, 0.5, 0.75, 0.75, 1, 1, 1]);
    expect(precision.map((p) => Number(p.toFixed(4)))).toEqual([1, 1, 0.6667, 0.75, 0.6, 0.6667, 0.5714, 0.5]);
  });

  it('AP: step-wise (average_precision_score) and trapezoid (auc(recall, precision)) differ as computed by hand', () => {
    expect(apStep(scores, labels)).toBeCloseTo(0.25 + 0.25 * (2 / 3) + 0.25 * 0.75 + 0.25 * (2 / 3), 12);
    expect(apTrapezoid(scores, labels)).toBeCloseTo(0.25 + (0.25 * (1 + 2 / 3)) / 2 + (0.25 * (2 / 3 + 0.75)) / 2 + (0.25 * (0.6 + 2 / 3)) / 2, 12);
  });

  it('repeating every snippet ×16 (frame level) leaves AUC and AP unchanged', () => {
    const rep = <T>(xs: T[]) => xs.flatMap((x) => Array.from({ length: 16 }, () => x));
    expect(rocAuc(rep(scores), rep(labels))).toBeCloseTo(rocAuc(scores, labels), 12);
    expect(apTrapezoid(rep(scores), rep(labels))).toBeCloseTo(apTrapezoid(scores, labels), 12);
    expect(apStep(rep(scores), rep(labels))).toBeCloseTo(apStep(scores, labels), 12);
  });

  it('picks the best-F1 threshold on a split', () => {
    const dataset = { dim: 1, classes: ['normal', 'a'], videos: [{ name: 'v', length: 8, dim: 1, features: new Float32Array(8), label: 1 as const, classIndex: 1, truth: Uint8Array.from(labels) }] };
    const { threshold, f1 } = bestF1Threshold(dataset, [{ scores: Float32Array.from(scores), topExpert: new Int32Array(8) }]);
    // F1 at 0.35 (tp 4, 6 predicted) = 8/10 is the best.
    expect(threshold).toBeCloseTo(0.35, 6);
    expect(f1).toBeCloseTo(0.8, 12);
  });
});

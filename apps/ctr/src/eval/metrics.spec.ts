import { describe, expect, it } from 'vitest';
import { auc, ece, gauc, logloss, pcoc } from './metrics.js';
import { gapClosed, evaluateTask } from './evaluate.js';
import { contingency, mutualInformation } from './contingency.js';

describe('CTR metrics', () => {
  it('AUC counts tied scores as one half', () => {
    // Pairs (pos, neg): (0.8, 0.1) win, (0.8, 0.4) win, (0.4, 0.1) win, (0.4, 0.4) tie → 3.5 / 4.
    expect(auc([0.8, 0.4, 0.4, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.875, 12);
    expect(auc([0.5, 0.5, 0.5], [1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(auc([0.1, 0.9], [1, 0])).toBe(0);
    expect(auc([0.1, 0.9], [1, 1])).toBeNaN();
    // Unlabelled rows (NaN) are skipped.
    expect(auc([0.9, 0.1, 0.5], [1, 0, Number.NaN])).toBe(1);
  });

  it('logloss and PCOC match hand computation', () => {
    expect(logloss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(pcoc([0.2, 0.4, 0.3, 0.1], [1, 0, 0, 0])).toBeCloseTo(1.0, 12);
    expect(pcoc([0.5, 0.5], [1, 0])).toBeCloseTo(1, 12);
  });

  it('ECE uses equal-mass bins', () => {
    // 2 bins of 2 rows: bin1 p̂ {0.1, 0.2} vs y {0, 0} → |0.3 − 0|/4; bin2 p̂ {0.7, 0.9} vs y {1, 1} → |1.6 − 2|/4.
    expect(ece([0.9, 0.1, 0.7, 0.2], [1, 0, 1, 0], 2)).toBeCloseTo((0.3 + 0.4) / 4, 12);
    expect(() => ece([0.5], [1], 0)).toThrow(/bins expected a positive integer, got 0/);
  });

  it('GAUC weights groups by rows and skips one-class groups', () => {
    const p = [0.9, 0.1, 0.2, 0.8, 0.3, 0.6];
    const y = [1, 0, 1, 0, 0, 0];
    const g = [0, 0, 1, 1, 1, 2];
    // group 0: AUC 1 (2 rows); group 1: pos 0.2 vs negs {0.8, 0.3} → 0 (3 rows); group 2 one class → skipped.
    expect(gauc(p, y, g)).toBeCloseTo((1 * 2 + 0 * 3) / 5, 12);
  });

  it('per-domain evaluation and the fraction of the oracle gap closed', () => {
    const m = evaluateTask({ p: [0.9, 0.1, 0.8, 0.3], y: [1, 0, 0, 1], domain: [0, 0, 1, 1], numDomains: 2 });
    expect(m.perDomain[0].auc).toBe(1);
    expect(m.perDomain[1].auc).toBe(0);
    expect(m.weightedDomainAuc).toBeCloseTo(0.5, 12);
    expect(gapClosed(0.75, 0.7, 0.8)).toBeCloseTo(0.5, 12);
    expect(gapClosed(0.7, 0.7, 0.7)).toBeNaN();
    expect(() => evaluateTask({ p: [0.5], y: [1], domain: [3], numDomains: 2 })).toThrow(/row 0 has domain 3, expected 0..1/);
  });

  it('mutual information is 0 for independent and ln 2 for identical binary labels', () => {
    expect(mutualInformation(contingency([0, 0, 1, 1], [0, 1, 0, 1], 2, 2)).mi).toBeCloseTo(0, 12);
    const same = mutualInformation(contingency([0, 1, 0, 1], [0, 1, 0, 1], 2, 2));
    expect(same.mi).toBeCloseTo(Math.LN2, 12);
    expect(same.nmi).toBeCloseTo(1, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { generateSynthetic } from './synthetic-generator.js';
import { logloss } from '../eval/metrics.js';

describe('synthetic multi-domain generator', () => {
  const data = generateSynthetic({ rows: 20000, seed: 3, numDomains: 5, zipfExponent: 1, numUsers: 300, numItems: 200, numCategories: 12, domainSignal: 0.5, xi: 0 });

  it('draws domains with Zipf traffic shares', () => {
    data.stats.expectedDomainShares.forEach((s, d) => expect(Math.abs(data.stats.domainShares[d] - s)).toBeLessThan(0.015));
    expect(data.stats.expectedDomainShares[0] / data.stats.expectedDomainShares[1]).toBeCloseTo(2, 6);
  });

  it('stores a true p that the labels follow (calibrated in bins and per domain)', () => {
    const p = data.trueP[0];
    const y = data.rows.map((r) => Number(r.click));
    // Binned by true p, the empirical CTR tracks the mean true p.
    const bins = [0, 0.05, 0.1, 0.2, 1];
    for (let b = 0; b < bins.length - 1; b++) {
      let sp = 0;
      let sy = 0;
      let n = 0;
      p.forEach((v, i) => {
        if (v >= bins[b] && v < bins[b + 1]) {
          sp += v;
          sy += y[i];
          n++;
        }
      });
      if (n > 500) expect(Math.abs(sy / n - sp / n)).toBeLessThan(4 * Math.sqrt(sp / n / n) + 0.005);
    }
    // The truth beats the best constant predictor.
    const base = y.reduce((a, b) => a + b, 0) / y.length;
    expect(logloss(p, y)).toBeLessThan(logloss(y.map(() => base), y) - 0.01);
    // Head domain hits its target base CTR (0.1), the last tail domain its own (0.03).
    const rate = (d: number) => {
      const rows = [...data.domain.keys()].filter((i) => data.domain[i] === d);
      return rows.reduce((a, i) => a + p[i], 0) / rows.length;
    };
    expect(rate(0)).toBeCloseTo(0.1, 1);
    expect(rate(4)).toBeCloseTo(0.03, 1);
  });

  it('ξ controls how much clusters and domains share information', () => {
    const independent = generateSynthetic({ rows: 5000, seed: 3, numDomains: 5, numUsers: 300, numItems: 200, xi: 1 });
    expect(data.stats.mutualInformation).toBeGreaterThan(0.3);
    expect(independent.stats.mutualInformation).toBeLessThan(0.02);
  });

  it('chains conversion after click and writes a matching feature config', () => {
    const mt = generateSynthetic({ rows: 3000, seed: 1, numUsers: 100, numItems: 50, extraTasks: [{ name: 'conversion', baseRate: 0.2, chainOf: 'click' }] });
    mt.rows.forEach((r) => expect(Number(r.conversion) <= Number(r.click)).toBe(true));
    mt.trueP[1].forEach((v, i) => expect(v).toBeLessThanOrEqual(mt.trueP[0][i] + 1e-12));
    expect(mt.featureConfig.tasks.map((t) => t.chainOf)).toEqual([undefined, 'click']);
    expect(() => generateSynthetic({ rows: 10, extraTasks: [{ name: 'x', baseRate: 0.1, chainOf: 'nope' }] })).toThrow(/extraTasks.0.chainOf: 'nope' must name an earlier task/);
  });

  it('drift: an unseen domain appears after the drift point (cold start)', () => {
    const drifted = generateSynthetic({ rows: 4000, seed: 2, numDomains: 3, numUsers: 100, numItems: 50, drift: { at: 0.5, kind: 'new-domain' } });
    const firstNew = drifted.rows.findIndex((r) => r.domain === 'd3');
    expect(firstNew).toBeGreaterThanOrEqual(2000);
    const share = drifted.rows.slice(2000).filter((r) => r.domain === 'd3').length / 2000;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });
});

import { describe, expect, it } from 'vitest';
import { paired, type VariantSeries } from './aggregate.js';
import { judge } from './expectations.js';
import { SETTINGS } from './settings.js';

const series = (name: string, auc: number[], perDomain?: number[][]): VariantSeries => ({
  name,
  auc: auc.map((a) => [a]),
  logloss: auc.map(() => [0.3]),
  gauc: auc,
  ece: auc.map(() => 0),
  pcoc: auc.map(() => 1),
  perDomainAuc: perDomain ?? auc.map((a) => [a, a, a, a]),
  secondsPerEpoch: auc.map(() => 1),
  epochsUsed: auc.map(() => 2),
  bestEpoch: auc.map(() => 0),
  nmiVsTruth: auc.map(() => Number.NaN),
  nmiVsDomain: auc.map(() => Number.NaN),
  zeroRate: auc.map(() => 0),
  maxGateWeight: auc.map(() => 0.5),
});

describe('paired per-seed statistics', () => {
  it('gives the mean difference, its 95 % t-interval, t and n (hand-computed)', () => {
    // d = [0.01, 0.02, 0.03, 0.02, 0.02]: mean 0.02, sd √0.00005 = 0.0070711, se 0.0031623, t4 = 2.776.
    const p = paired([0.71, 0.72, 0.73, 0.72, 0.72], [0.7, 0.7, 0.7, 0.7, 0.7]);
    expect(p.diff.mean).toBeCloseTo(0.02, 12);
    expect(p.t).toBeCloseTo(0.02 / 0.0031623, 3);
    expect(p.low).toBeCloseTo(0.02 - 2.776 * 0.0031623, 6);
    expect(p.high).toBeCloseTo(0.02 + 2.776 * 0.0031623, 6);
    expect(p.n).toBe(5);
    expect(p.significant).toBe(true);
    const noisy = paired([0.71, 0.69, 0.72, 0.68, 0.7], [0.7, 0.7, 0.7, 0.7, 0.7]);
    expect(noisy.significant).toBe(false);
    expect(noisy.low).toBeLessThan(0);
    expect(noisy.high).toBeGreaterThan(0);
    expect(() => paired([1, 2], [1])).toThrow(/same seeds/);
  });
});

describe('pre-registered expectation checks', () => {
  const domain = SETTINGS.find((s) => s.id === 'domain')!;
  const sb = series('Shared-Bottom', [0.7, 0.71, 0.72, 0.7, 0.69]);
  it('holds "> Shared-Bottom" only with a positive interval excluding 0, and reports the effect', () => {
    const star = series('STAR', [0.72, 0.73, 0.735, 0.72, 0.71]);
    const v = judge(domain, [sb, star], 4);
    const check = v.checks.find((c) => c.claim === 'STAR > Shared-Bottom')!;
    expect(check.held).toBe(true);
    expect(check.effect).toMatchObject({ a: 'STAR', b: 'Shared-Bottom', n: 5 });
    expect(check.effect!.low).toBeGreaterThan(0);
  });

  it('marks checks whose models were not run as not run (never held), and the verdict partly', () => {
    const star = series('STAR', [0.72, 0.73, 0.735, 0.72, 0.71]);
    const v = judge(domain, [sb, star], 4);
    const mmoe = v.checks.find((c) => c.claim.startsWith('MMoE'))!;
    expect(mmoe.held).toBeNull();
    expect(mmoe.evidence).toMatch(/not run \(needs MMoE\)/);
    expect(v.held).toBe('partly');
    const nothing = judge(SETTINGS.find((s) => s.id === 'cluster')!, [sb], 4);
    expect(nothing.held).toBe('not run');
  });

  it('tail-domain concentration compares per-seed tail and head gains', () => {
    const base = [0.7, 0.7, 0.7, 0.7];
    const sbD = series('Shared-Bottom', [0.7, 0.7, 0.7], [base, base, base]);
    const tailWin = [0.7, 0.7, 0.74, 0.74];
    const star = series('STAR', [0.72, 0.72, 0.72], [tailWin, tailWin, tailWin]);
    const c = judge(domain, [sbD, star], 4).checks.find((x) => x.claim.startsWith('gains concentrated'))!;
    expect(c.held).toBe(true);
    expect(c.effect!.diff.mean).toBeCloseTo(0.04, 10);
  });
});

import { auc, ece, gauc, logloss, pcoc } from './metrics.js';

/** Metrics of one task on one set of rows. */
export interface TaskMetrics {
  rows: number;
  positiveRate: number;
  auc: number;
  logloss: number;
  gauc: number;
  pcoc: number;
  ece: number;
  /** Per domain (index = domain id): AUC, logloss, PCOC and row count. */
  perDomain: { rows: number; auc: number; logloss: number; pcoc: number }[];
  /** Row-count-weighted mean of per-domain AUC over domains with both classes (AREAD's headline metric). */
  weightedDomainAuc: number;
}

export interface EvaluationInput {
  p: ArrayLike<number>;
  y: ArrayLike<number>;
  domain: ArrayLike<number>;
  numDomains: number;
  groups?: ArrayLike<number>;
}

/** Every metric of ctr.md §6 for one task. */
export function evaluateTask({ p, y, domain, numDomains, groups }: EvaluationInput): TaskMetrics {
  const byDomain: number[][] = Array.from({ length: numDomains }, () => []);
  let positives = 0;
  let labelled = 0;
  for (let i = 0; i < p.length; i++) {
    if (domain[i] < 0 || domain[i] >= numDomains) throw new Error(`evaluateTask: row ${i} has domain ${domain[i]}, expected 0..${numDomains - 1}`);
    byDomain[domain[i]].push(i);
    if (!Number.isNaN(y[i])) {
      labelled++;
      positives += y[i];
    }
  }
  const perDomain = byDomain.map((rows) => {
    const pd = rows.map((i) => p[i]);
    const yd = rows.map((i) => y[i]);
    return { rows: rows.length, auc: auc(pd, yd), logloss: logloss(pd, yd), pcoc: pcoc(pd, yd) };
  });
  let wSum = 0;
  let w = 0;
  for (const d of perDomain) {
    if (Number.isNaN(d.auc)) continue;
    wSum += d.auc * d.rows;
    w += d.rows;
  }
  return {
    rows: p.length,
    positiveRate: labelled ? positives / labelled : Number.NaN,
    auc: auc(p, y),
    logloss: logloss(p, y),
    gauc: groups ? gauc(p, y, groups) : Number.NaN,
    pcoc: pcoc(p, y),
    ece: ece(p, y),
    perDomain,
    weightedDomainAuc: w ? wSum / w : Number.NaN,
  };
}

/**
 * Fraction of the (oracle − baseline) AUC gap a model closes: (model − baseline) / (oracle − baseline).
 * NaN when the baseline already matches the oracle (nothing to close).
 */
export function gapClosed(model: number, baseline: number, oracle: number): number {
  const gap = oracle - baseline;
  return Math.abs(gap) < 1e-9 ? Number.NaN : (model - baseline) / gap;
}

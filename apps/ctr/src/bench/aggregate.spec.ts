import { describe, expect, it } from 'vitest';
import { paired, seriesOf } from './aggregate.js';
import type { CellResult, TaskSummary, VariantResult } from './run-cell.js';

const task = (auc: number): TaskSummary => ({ auc, logloss: 0.3, gauc: auc, pcoc: 1, ece: 0, weightedDomainAuc: auc, perDomainAuc: [auc, auc], positiveRate: 0.1 });
const run = (name: string, auc: number): VariantResult => ({ name, tasks: [task(auc)], secondsPerEpoch: 1, bestEpoch: 0, epochsUsed: 2, params: 1, diagnostics: {} });
const cell = (seed: number, variants: VariantResult[]): CellResult => ({ setting: 'domain', seed, rows: 100, tasks: ['click'], domainShares: [0.6, 0.4], clusterDomainMi: 0, clusterDomainNmi: 0, oracle: [task(0.9)], variants });

describe('series over seeds', () => {
  it('fills a variant a seed lacks with NaN, so paired comparisons use the seeds both models have', () => {
    const cells = [cell(1, [run('A', 0.7), run('B', 0.72)]), cell(2, [run('A', 0.71), run('B', 0.735)]), cell(3, [run('A', 0.69)])];
    const { variants } = seriesOf(cells, ['A', 'B']);
    expect(variants[1].auc.map((a) => a[0])).toEqual([0.72, 0.735, Number.NaN]);
    const p = paired(variants[1].auc.map((a) => a[0]), variants[0].auc.map((a) => a[0]));
    expect(p.n).toBe(2);
    expect(p.diff.mean).toBeCloseTo(0.0225, 10);
  });
});

import { meanStd, type MeanStd } from '../util/stats.js';
import type { CellResult } from './run-cell.js';

/** Two-sided 95 % Student-t critical values by degrees of freedom. */
const T_CRIT = [Infinity, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Paired comparison over seeds: mean ± std of (a − b) and whether it differs from 0 at 95 %. */
export interface Paired {
  diff: MeanStd;
  t: number;
  significant: boolean;
}

export function paired(a: number[], b: number[]): Paired {
  const d = a.map((x, i) => x - b[i]).filter((x) => Number.isFinite(x));
  const diff = meanStd(d);
  const t = diff.std > 0 ? diff.mean / (diff.std / Math.sqrt(d.length)) : diff.mean === 0 ? 0 : Math.sign(diff.mean) * Infinity;
  const crit = T_CRIT[Math.min(d.length - 1, T_CRIT.length - 1)] ?? 2;
  return { diff, t, significant: d.length > 1 && Math.abs(t) > crit };
}

/** Per-variant series over the seeds of one setting (seeds in the same order for every variant). */
export interface VariantSeries {
  name: string;
  /** [seed][task] AUC. */
  auc: number[][];
  logloss: number[][];
  gauc: number[];
  ece: number[];
  pcoc: number[];
  /** [seed][domain] AUC of the first task. */
  perDomainAuc: number[][];
  secondsPerEpoch: number[];
  nmiVsTruth: number[];
  nmiVsDomain: number[];
  zeroRate: number[];
  /** Largest mean gate weight of any task (1 = a one-hot gate). */
  maxGateWeight: number[];
}

export function seriesOf(cells: CellResult[]): { variants: VariantSeries[]; oracleAuc: number[][]; oraclePerDomain: number[][] } {
  const names = cells[0].variants.map((v) => v.name);
  const variants = names.map((name): VariantSeries => {
    const runs = cells.map((c) => {
      const v = c.variants.find((x) => x.name === name);
      if (!v) throw new Error(`cell ${c.setting}-${c.seed} lacks variant '${name}'`);
      return v;
    });
    const diag = (prefix: string) => runs.map((r) => {
      const values = Object.entries(r.diagnostics).filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v);
      return values.length ? values : [Number.NaN];
    });
    return {
      name,
      auc: runs.map((r) => r.tasks.map((t) => t.auc)),
      logloss: runs.map((r) => r.tasks.map((t) => t.logloss)),
      gauc: runs.map((r) => r.tasks[0].gauc),
      ece: runs.map((r) => r.tasks[0].ece),
      pcoc: runs.map((r) => r.tasks[0].pcoc),
      perDomainAuc: runs.map((r) => r.tasks[0].perDomainAuc),
      secondsPerEpoch: runs.map((r) => r.secondsPerEpoch),
      nmiVsTruth: runs.map((r) => r.nmiVsTruth ?? Number.NaN),
      nmiVsDomain: runs.map((r) => r.nmiVsDomain ?? Number.NaN),
      zeroRate: diag('zeroRate/').map((v) => v.reduce((a, b) => a + b, 0) / v.length),
      maxGateWeight: diag('gate/').map((v) => Math.max(...v)),
    };
  });
  return { variants, oracleAuc: cells.map((c) => c.oracle.map((t) => t.auc)), oraclePerDomain: cells.map((c) => c.oracle[0].perDomainAuc) };
}

/** Mean over seeds of a per-seed statistic, ignoring NaN seeds. */
export function over(values: number[]): MeanStd {
  return meanStd(values.filter((v) => Number.isFinite(v)));
}

/** Per-seed mean of the given columns (domains or tasks) of a [seed][column] matrix. */
export function meanColumns(matrix: number[][], columns: number[]): number[] {
  return matrix.map((row) => {
    const vals = columns.map((c) => row[c]).filter((v) => Number.isFinite(v));
    return vals.reduce((a, b) => a + b, 0) / vals.length;
  });
}

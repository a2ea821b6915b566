import { meanStd, type MeanStd } from '../util/stats.js';
import type { CellResult, VariantResult } from './run-cell.js';

/** Two-sided 95 % Student-t critical values by degrees of freedom (the table of tools/bench seed-stats `t95`; apps may not import tools). */
const T_CRIT = [Infinity, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Paired comparison over seeds: mean ± std of (a − b), its 95 % t-interval, t and n, and whether it excludes 0. */
export interface Paired {
  diff: MeanStd;
  /** 95 % confidence interval of the mean difference (NaN for fewer than 2 seeds). */
  low: number;
  high: number;
  t: number;
  n: number;
  significant: boolean;
}

export function paired(a: number[], b: number[]): Paired {
  if (a.length !== b.length) throw new RangeError(`paired: expected two series over the same seeds, got ${a.length} and ${b.length} values`);
  const d = a.map((x, i) => x - b[i]).filter((x) => Number.isFinite(x));
  const diff = meanStd(d);
  const t = diff.std > 0 ? diff.mean / (diff.std / Math.sqrt(d.length)) : diff.mean === 0 ? 0 : Math.sign(diff.mean) * Infinity;
  const crit = d.length > 1 ? (T_CRIT[d.length - 1] ?? 1.96) : Number.NaN;
  const half = (crit * diff.std) / Math.sqrt(d.length);
  return { diff, low: diff.mean - half, high: diff.mean + half, t, n: d.length, significant: d.length > 1 && Math.abs(t) > crit };
}

/** "+0.0081 [−0.0047, +0.0209], t = 1.75, n = 5". */
export function formatPaired(p: Paired, digits = 4): string {
  const s = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}` : 'n/a');
  return `${s(p.diff.mean)} [${s(p.low)}, ${s(p.high)}], t = ${Number.isFinite(p.t) ? p.t.toFixed(2) : String(p.t)}, n = ${p.n}`;
}

/** Per-variant series over the seeds of one setting (seeds in the same order for every variant). */
export interface VariantSeries {
  id?: string;
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
  epochsUsed: number[];
  bestEpoch: number[];
  nmiVsTruth: number[];
  nmiVsDomain: number[];
  zeroRate: number[];
  /** Largest mean gate weight of any task (1 = a one-hot gate). */
  maxGateWeight: number[];
}

/** Stand-in for a variant a cell did not run: NaN everywhere, so `paired` and `over` skip that seed. */
function missingRun(cell: CellResult, name: string): VariantResult {
  const nan = { auc: Number.NaN, logloss: Number.NaN, gauc: Number.NaN, pcoc: Number.NaN, ece: Number.NaN, weightedDomainAuc: Number.NaN, positiveRate: Number.NaN };
  return { name, tasks: cell.oracle.map((o) => ({ ...nan, perDomainAuc: o.perDomainAuc.map(() => Number.NaN) })), secondsPerEpoch: Number.NaN, bestEpoch: Number.NaN, epochsUsed: Number.NaN, params: Number.NaN, diagnostics: {} };
}

/**
 * Series of the variants `names` (default: those of the first cell) over the cells, in that order. A cell that
 * lacks a variant (a run cut short, a model added later) contributes NaN, so each paired comparison uses the
 * seeds both of its models have.
 */
export function seriesOf(cells: CellResult[], names = cells[0].variants.map((v) => v.name)): { variants: VariantSeries[]; oracleAuc: number[][]; oraclePerDomain: number[][] } {
  const variants = names.map((name): VariantSeries => {
    const runs = cells.map((c) => c.variants.find((x) => x.name === name) ?? missingRun(c, name));
    const diag = (prefix: string) => runs.map((r) => {
      const values = Object.entries(r.diagnostics).filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v);
      return values.length ? values : [Number.NaN];
    });
    return {
      id: runs.find((r) => r.id !== undefined)?.id,
      name,
      auc: runs.map((r) => r.tasks.map((t) => t.auc)),
      logloss: runs.map((r) => r.tasks.map((t) => t.logloss)),
      gauc: runs.map((r) => r.tasks[0].gauc),
      ece: runs.map((r) => r.tasks[0].ece),
      pcoc: runs.map((r) => r.tasks[0].pcoc),
      perDomainAuc: runs.map((r) => r.tasks[0].perDomainAuc),
      secondsPerEpoch: runs.map((r) => r.secondsPerEpoch),
      epochsUsed: runs.map((r) => r.epochsUsed ?? Number.NaN),
      bestEpoch: runs.map((r) => r.bestEpoch),
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

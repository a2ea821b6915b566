/** Summaries over seeds, shared by the bench suites. */

export const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

/** Sample standard deviation (n − 1), as numpy's std(ddof=1); 0 for one seed. */
export const std = (a: readonly number[]): number => (a.length < 2 ? 0 : Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / (a.length - 1)));

/** "mean ± std" with two decimals. */
export const meanStd = (a: readonly number[]): string => `${mean(a).toFixed(2)} ± ${std(a).toFixed(2)}`;

/** Two-sided Student-t critical value at 95 % for `df` degrees of freedom (table; normal beyond 30). */
export function t95(df: number): number {
  const table = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
  return df >= 1 && df < table.length ? table[df] : 1.96;
}

/** Paired differences b − a per seed: mean, 95 % confidence interval and t statistic. */
export function pairedDifference(a: readonly number[], b: readonly number[]): { mean: number; low: number; high: number; t: number; n: number } {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`pairedDifference: expected two equal, non-empty series, got ${a.length} and ${b.length}`);
  const d = a.map((v, i) => b[i] - v);
  const { mean: m, low, high } = meanInterval(d);
  const se = std(d) / Math.sqrt(d.length);
  return { mean: m, low, high, t: se > 0 ? m / se : NaN, n: d.length };
}

/** Mean of `a` with its 95 % t-interval (NaN bounds for a single value). */
export function meanInterval(a: readonly number[]): { mean: number; low: number; high: number } {
  const m = mean(a);
  const half = a.length > 1 ? t95(a.length - 1) * (std(a) / Math.sqrt(a.length)) : NaN;
  return { mean: m, low: m - half, high: m + half };
}

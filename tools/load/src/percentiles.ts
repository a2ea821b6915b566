/** Latency summary in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile of sorted values; `q` in (0, 1]. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export function summarize(valuesMs: readonly number[]): LatencySummary {
  const s = [...valuesMs].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    count: s.length,
    meanMs: s.length ? sum / s.length : Number.NaN,
    p50Ms: percentile(s, 0.5),
    p90Ms: percentile(s, 0.9),
    p99Ms: percentile(s, 0.99),
    maxMs: s.length ? (s[s.length - 1] as number) : Number.NaN,
  };
}

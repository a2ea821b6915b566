/** Mean and sample standard deviation (n − 1); std is 0 for a single value. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/** "0.7312 ± 0.0021" with `digits` decimals. */
export function formatMeanStd(m: MeanStd, digits = 4): string {
  return `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}`;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

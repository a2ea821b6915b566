import { normalProbability } from './normal-probability.js';

const NORMAL_CONSTANT = Math.sqrt(2 * Math.PI);

/**
 * MOA `GaussianNumericAttributeClassObserver`: per class a weighted Welford estimator (GaussianEstimator)
 * plus the min and max seen; split candidates are `numBins` equally spaced thresholds inside [min, max].
 * A class is "present" once it has positive weight (MOA creates its estimator on first observation).
 */
export class NumericObserver {
  readonly kind = 'numeric';
  readonly weight: Float64Array;
  readonly mean: Float64Array;
  readonly varianceSum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(
    numClasses: number,
    readonly numBins = 10,
  ) {
    this.weight = new Float64Array(numClasses);
    this.mean = new Float64Array(numClasses);
    this.varianceSum = new Float64Array(numClasses);
    this.min = new Float64Array(numClasses);
    this.max = new Float64Array(numClasses);
  }

  observe(value: number, classIndex: number, w: number): void {
    if (value !== value || value === Infinity || value === -Infinity) return; // missing / infinite: MOA ignores
    const ws = this.weight[classIndex];
    if (ws > 0) {
      if (value < this.min[classIndex]) this.min[classIndex] = value;
      if (value > this.max[classIndex]) this.max[classIndex] = value;
      const total = ws + w;
      const lastMean = this.mean[classIndex];
      const mean = lastMean + (w * (value - lastMean)) / total;
      this.mean[classIndex] = mean;
      this.varianceSum[classIndex] += w * (value - lastMean) * (value - mean);
      this.weight[classIndex] = total;
    } else {
      this.min[classIndex] = value;
      this.max[classIndex] = value;
      this.mean[classIndex] = value;
      this.weight[classIndex] = w;
    }
  }

  stdDev(c: number): number {
    const w = this.weight[c];
    return w > 1 ? Math.sqrt(this.varianceSum[c] / (w - 1)) : 0;
  }

  /** GaussianEstimator.probabilityDensity for class c (0 when the class was never seen). */
  density(value: number, c: number): number {
    if (!(this.weight[c] > 0)) return 0;
    const sd = this.stdDev(c);
    const mean = this.mean[c];
    if (sd > 0) {
      const diff = value - mean;
      return (1 / (NORMAL_CONSTANT * sd)) * Math.exp(-((diff * diff) / (2 * sd * sd)));
    }
    return value === mean ? 1 : 0;
  }

  /** Candidate thresholds, in MOA's order and arithmetic. */
  splitPoints(): number[] {
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < this.weight.length; c++) {
      if (this.weight[c] > 0) {
        if (this.min[c] < lo) lo = this.min[c];
        if (this.max[c] > hi) hi = this.max[c];
      }
    }
    const out: number[] = [];
    if (lo < Infinity) {
      const range = hi - lo;
      for (let i = 0; i < this.numBins; i++) {
        const v = (range / (this.numBins + 1)) * (i + 1) + lo;
        if (v > lo && v < hi) out.push(v);
      }
    }
    return out;
  }

  /** Class weights going left (x ≤ t) and right (x > t) of threshold t. */
  binarySplit(t: number): [Float64Array, Float64Array] {
    const n = this.weight.length;
    const left = new Float64Array(n);
    const right = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const w = this.weight[c];
      if (!(w > 0)) continue;
      if (t < this.min[c]) right[c] += w;
      else if (t >= this.max[c]) left[c] += w;
      else {
        const equal = this.density(t, c) * w;
        const sd = this.stdDev(c);
        const mean = this.mean[c];
        const less = sd > 0 ? normalProbability((t - mean) / sd) * w - equal : t < mean ? w - equal : 0;
        let greater = w - equal - less;
        if (greater < 0) greater = 0;
        left[c] += less + equal;
        right[c] += greater;
      }
    }
    return [left, right];
  }
}

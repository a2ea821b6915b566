import { normalProbability } from './normal-probability.js';

const NORMAL_CONSTANT = Math.sqrt(2 * Math.PI);

/** Doubles per class in the density block: mean, 1 / (√(2π)·sd), 2·sd·sd, density mode. */
const DENSITY = 4;
/** Doubles per class in the statistics block: weight, variance sum, min, max, sd. */
const STATS = 5;

/** Density modes: the class was never seen (density 0), sd > 0 (Gaussian), sd = 0 or NaN (point mass at the mean). */
const UNSEEN = 0;
const GAUSSIAN = 1;
const POINT = 2;

/** Room for the split points of `numBins` bins (the candidate loop runs i < numBins, any number). */
export function binCapacity(numBins: number): number {
  return Math.max(0, Math.ceil(numBins)) || 0;
}

/** Doubles a NumericObserver keeps for `numClasses` classes (its block in a shared buffer). */
export function numericObserverSize(numClasses: number): number {
  return numClasses * (DENSITY + STATS);
}

/**
 * MOA `GaussianNumericAttributeClassObserver`: per class a weighted Welford estimator (GaussianEstimator)
 * plus the min and max seen; split candidates are `numBins` equally spaced thresholds inside [min, max].
 * A class is "present" once it has positive weight (MOA creates its estimator on first observation).
 *
 * All numbers live in one Float64Array block (optionally a slice of a buffer shared by a leaf's observers):
 * an ensemble's leaves are touched once per instance each, from a heap far larger than the caches, so the
 * number of objects and cache lines a naive Bayes vote reads is what its speed depends on. The density
 * block caches, per class, the constants derived from the estimator (refreshed on every change to that
 * class): they are the very doubles the uncached formulas produce, so every result is unchanged.
 */
export class NumericObserver {
  readonly kind = 'numeric';
  private readonly buf: Float64Array;
  /** Start of the density block ([c·DENSITY + field]) and of the statistics block ([c·STATS + field]). */
  private readonly dens: number;
  private readonly stats: number;

  constructor(
    readonly numClasses: number,
    readonly numBins = 10,
    buffer?: Float64Array,
    offset = 0,
  ) {
    const size = numericObserverSize(numClasses);
    this.buf = buffer ?? new Float64Array(size);
    if (offset < 0 || offset + size > this.buf.length) throw new RangeError(`NumericObserver: block ${offset}..${offset + size} outside a buffer of ${this.buf.length}`);
    this.dens = offset;
    this.stats = offset + numClasses * DENSITY;
  }

  observe(value: number, classIndex: number, w: number): void {
    if (value !== value || value === Infinity || value === -Infinity) return; // missing / infinite: MOA ignores
    const b = this.buf;
    const s = this.stats + classIndex * STATS;
    const d = this.dens + classIndex * DENSITY;
    const ws = b[s];
    if (ws > 0) {
      if (value < b[s + 2]) b[s + 2] = value;
      if (value > b[s + 3]) b[s + 3] = value;
      const total = ws + w;
      const lastMean = b[d];
      const mean = lastMean + (w * (value - lastMean)) / total;
      b[d] = mean;
      b[s + 1] += w * (value - lastMean) * (value - mean);
      b[s] = total;
    } else {
      b[s + 2] = value;
      b[s + 3] = value;
      b[d] = value;
      b[s] = w;
    }
    this.derive(classIndex);
  }

  /** Recomputes class c's cached sd, density constants and mode from its estimator. */
  private derive(c: number): void {
    const b = this.buf;
    const s = this.stats + c * STATS;
    const d = this.dens + c * DENSITY;
    const w = b[s];
    const sd = w > 1 ? Math.sqrt(b[s + 1] / (w - 1)) : 0;
    b[s + 4] = sd;
    b[d + 1] = 1 / (NORMAL_CONSTANT * sd);
    b[d + 2] = 2 * sd * sd;
    b[d + 3] = !(w > 0) ? UNSEEN : sd > 0 ? GAUSSIAN : POINT;
  }

  stdDev(c: number): number {
    return this.buf[this.stats + c * STATS + 4];
  }

  /** GaussianEstimator.probabilityDensity for class c (0 when the class was never seen). */
  density(value: number, c: number): number {
    const b = this.buf;
    const d = this.dens + c * DENSITY;
    const mode = b[d + 3];
    if (mode === GAUSSIAN) {
      const diff = value - b[d];
      // = (1 / (√(2π)·sd)) · exp(−diff² / (2·sd·sd)), with both constants cached.
      return b[d + 1] * Math.exp(-((diff * diff) / b[d + 2]));
    }
    if (mode === UNSEEN) return 0;
    return value === b[d] ? 1 : 0;
  }

  /** Candidate thresholds, in MOA's order and arithmetic. */
  splitPoints(): number[] {
    const out = new Float64Array(binCapacity(this.numBins));
    return Array.from(out.subarray(0, this.splitPointsInto(out)));
  }

  /** splitPoints() written into `out` (length ≥ numBins), no allocation; returns how many. */
  splitPointsInto(out: Float64Array): number {
    const b = this.buf;
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < this.numClasses; c++) {
      const s = this.stats + c * STATS;
      if (b[s] > 0) {
        if (b[s + 2] < lo) lo = b[s + 2];
        if (b[s + 3] > hi) hi = b[s + 3];
      }
    }
    let n = 0;
    if (lo < Infinity) {
      const range = hi - lo;
      for (let i = 0; i < this.numBins; i++) {
        const v = (range / (this.numBins + 1)) * (i + 1) + lo;
        if (v > lo && v < hi) out[n++] = v;
      }
    }
    return n;
  }

  /** Class weights going left (x ≤ t) and right (x > t) of threshold t. */
  binarySplit(t: number): [Float64Array, Float64Array] {
    const left = new Float64Array(this.numClasses);
    const right = new Float64Array(this.numClasses);
    this.binarySplitInto(t, left, right);
    return [left, right];
  }

  /** binarySplit(t) written into `left` and `right` (overwritten), no allocation. */
  binarySplitInto(t: number, left: Float64Array, right: Float64Array): void {
    const b = this.buf;
    for (let c = 0; c < this.numClasses; c++) {
      left[c] = 0;
      right[c] = 0;
      const s = this.stats + c * STATS;
      const w = b[s];
      if (!(w > 0)) continue;
      if (t < b[s + 2]) right[c] += w;
      else if (t >= b[s + 3]) left[c] += w;
      else {
        const equal = this.density(t, c) * w;
        const sd = b[s + 4];
        const mean = b[this.dens + c * DENSITY];
        const less = sd > 0 ? normalProbability((t - mean) / sd) * w - equal : t < mean ? w - equal : 0;
        let greater = w - equal - less;
        if (greater < 0) greater = 0;
        left[c] += less + equal;
        right[c] += greater;
      }
    }
  }

  /** Per-class estimator weights (a copy; state and tests read them). */
  get weight(): Float64Array {
    return this.statsField(0);
  }

  get mean(): Float64Array {
    const out = new Float64Array(this.numClasses);
    for (let c = 0; c < this.numClasses; c++) out[c] = this.buf[this.dens + c * DENSITY];
    return out;
  }

  get varianceSum(): Float64Array {
    return this.statsField(1);
  }

  get min(): Float64Array {
    return this.statsField(2);
  }

  get max(): Float64Array {
    return this.statsField(3);
  }

  private statsField(f: number): Float64Array {
    const out = new Float64Array(this.numClasses);
    for (let c = 0; c < this.numClasses; c++) out[c] = this.buf[this.stats + c * STATS + f];
    return out;
  }

  /** Sets the estimators (a state restore) and rederives the cached constants. */
  restore(s: { weight: ArrayLike<number>; mean: ArrayLike<number>; varianceSum: ArrayLike<number>; min: ArrayLike<number>; max: ArrayLike<number> }): void {
    const b = this.buf;
    for (let c = 0; c < this.numClasses; c++) {
      const st = this.stats + c * STATS;
      b[st] = s.weight[c];
      b[st + 1] = s.varianceSum[c];
      b[st + 2] = s.min[c];
      b[st + 3] = s.max[c];
      b[this.dens + c * DENSITY] = s.mean[c];
      this.derive(c);
    }
  }
}

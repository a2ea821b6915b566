import type { NumericObserver } from './numeric-observer.js';

/**
 * MOA `NominalAttributeClassObserver`: weight per (class, value). `length[c]` mirrors the length of MOA's
 * per-class DoubleVector (highest value index seen for class c, + 1), which enters the Laplace-corrected
 * naive Bayes estimate and the number of multiway branches.
 */
export class NominalObserver {
  readonly kind = 'nominal';
  readonly counts: Float64Array; // [c * numValues + v]
  readonly classTotal: Float64Array;
  readonly length: Int32Array;
  readonly present: Uint8Array;

  constructor(
    readonly numClasses: number,
    readonly numValues: number,
  ) {
    this.counts = new Float64Array(numClasses * numValues);
    this.classTotal = new Float64Array(numClasses);
    this.length = new Int32Array(numClasses);
    this.present = new Uint8Array(numClasses);
  }

  observe(value: number, classIndex: number, w: number): void {
    if (value !== value) return; // missing
    const v = value | 0;
    if (v < 0 || v >= this.numValues) throw new RangeError(`NominalObserver: value index ${value} outside 0..${this.numValues - 1}`);
    this.counts[classIndex * this.numValues + v] += w;
    this.classTotal[classIndex] += w;
    this.present[classIndex] = 1;
    if (v + 1 > this.length[classIndex]) this.length[classIndex] = v + 1;
  }

  /** (count + 1) / (classTotal + observed value count); 0 for an unseen class. */
  probability(value: number, c: number): number {
    if (!this.present[c]) return 0;
    const v = value | 0;
    const count = v < this.length[c] ? this.counts[c * this.numValues + v] : 0;
    return (count + 1) / (this.classTotal[c] + this.length[c]);
  }

  maxValuesObserved(): number {
    let m = 0;
    for (let c = 0; c < this.numClasses; c++) if (this.present[c] && this.length[c] > m) m = this.length[c];
    return m;
  }

  /** One class distribution per value index < `branches`. */
  multiwaySplit(branches: number): Float64Array[] {
    const out = Array.from({ length: branches }, () => new Float64Array(this.numClasses));
    for (let c = 0; c < this.numClasses; c++) {
      if (!this.present[c]) continue;
      for (let v = 0; v < this.length[c]; v++) out[v][c] += this.counts[c * this.numValues + v];
    }
    return out;
  }

  /** [value == v, value != v] class distributions. */
  binarySplit(v: number): [Float64Array, Float64Array] {
    const eq = new Float64Array(this.numClasses);
    const ne = new Float64Array(this.numClasses);
    for (let c = 0; c < this.numClasses; c++) {
      if (!this.present[c]) continue;
      const n = v < this.length[c] ? this.counts[c * this.numValues + v] : 0;
      eq[c] += n;
      ne[c] += this.classTotal[c] - n;
    }
    return [eq, ne];
  }
}

export type AttributeObserver = NumericObserver | NominalObserver;

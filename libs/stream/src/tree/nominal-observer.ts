import type { NumericObserver } from './numeric-observer.js';

/** Doubles per class ahead of its value counts: present flag, length, class total. */
const HEAD = 3;

/** Doubles a NominalObserver keeps for `numClasses` × `numValues` (its block in a shared buffer). */
export function nominalObserverSize(numClasses: number, numValues: number): number {
  return numClasses * (HEAD + numValues);
}

/**
 * MOA `NominalAttributeClassObserver`: weight per (class, value). `length[c]` mirrors the length of MOA's
 * per-class DoubleVector (highest value index seen for class c, + 1), which enters the Laplace-corrected
 * naive Bayes estimate and the number of multiway branches.
 *
 * All numbers live in one Float64Array block, class by class ([present, length, total, counts…]),
 * optionally a slice of a buffer shared by a leaf's observers (see NumericObserver: fewer objects and
 * cache lines per naive Bayes vote). Lengths and flags are small integers, exact as doubles. (A table of
 * the probabilities, updated on observe, measured slower: the extra memory costs more than the divisions.)
 */
export class NominalObserver {
  readonly kind = 'nominal';
  private readonly buf: Float64Array;
  private readonly off: number;
  private readonly stride: number;

  constructor(
    readonly numClasses: number,
    readonly numValues: number,
    buffer?: Float64Array,
    offset = 0,
  ) {
    const size = nominalObserverSize(numClasses, numValues);
    this.buf = buffer ?? new Float64Array(size);
    if (offset < 0 || offset + size > this.buf.length) throw new RangeError(`NominalObserver: block ${offset}..${offset + size} outside a buffer of ${this.buf.length}`);
    this.off = offset;
    this.stride = HEAD + numValues;
  }

  observe(value: number, classIndex: number, w: number): void {
    if (value !== value) return; // missing
    const v = value | 0;
    if (v < 0 || v >= this.numValues) throw new RangeError(`NominalObserver: value index ${value} outside 0..${this.numValues - 1}`);
    const b = this.buf;
    const o = this.off + classIndex * this.stride;
    b[o + HEAD + v] += w;
    b[o + 2] += w;
    b[o] = 1;
    if (v + 1 > b[o + 1]) b[o + 1] = v + 1;
  }

  /** (count + 1) / (classTotal + observed value count); 0 for an unseen class. */
  probability(value: number, c: number): number {
    const b = this.buf;
    const o = this.off + c * this.stride;
    if (!b[o]) return 0;
    const v = value | 0;
    const len = b[o + 1];
    const count = v < len ? (v >= 0 ? b[o + HEAD + v] : this.countAtFlat(c * this.numValues + v)) : 0;
    return (count + 1) / (b[o + 2] + len);
  }

  /**
   * MOA's (and the original flat [c · numValues + v] array's) reading of a negative value index: another
   * class's count, or undefined (NaN) before the start. Invalid input, kept for identical results.
   */
  private countAtFlat(i: number): number {
    if (i < 0) return NaN;
    const c = Math.floor(i / this.numValues);
    return this.buf[this.off + c * this.stride + HEAD + (i - c * this.numValues)];
  }

  maxValuesObserved(): number {
    const b = this.buf;
    let m = 0;
    for (let c = 0; c < this.numClasses; c++) {
      const o = this.off + c * this.stride;
      if (b[o] && b[o + 1] > m) m = b[o + 1];
    }
    return m;
  }

  /** One class distribution per value index < `branches`. */
  multiwaySplit(branches: number): Float64Array[] {
    const out = Array.from({ length: branches }, () => new Float64Array(this.numClasses));
    this.multiwaySplitInto(branches, out);
    return out;
  }

  /** multiwaySplit(branches) written into out[0..branches) (overwritten), no allocation. */
  multiwaySplitInto(branches: number, out: Float64Array[]): void {
    const b = this.buf;
    for (let v = 0; v < branches; v++) out[v].fill(0);
    for (let c = 0; c < this.numClasses; c++) {
      const o = this.off + c * this.stride;
      if (!b[o]) continue;
      const len = b[o + 1];
      for (let v = 0; v < len; v++) out[v][c] += b[o + HEAD + v];
    }
  }

  /** [value == v, value != v] class distributions. */
  binarySplit(v: number): [Float64Array, Float64Array] {
    const eq = new Float64Array(this.numClasses);
    const ne = new Float64Array(this.numClasses);
    this.binarySplitInto(v, eq, ne);
    return [eq, ne];
  }

  /** binarySplit(v) written into `eq` and `ne` (overwritten), no allocation. */
  binarySplitInto(v: number, eq: Float64Array, ne: Float64Array): void {
    const b = this.buf;
    for (let c = 0; c < this.numClasses; c++) {
      eq[c] = 0;
      ne[c] = 0;
      const o = this.off + c * this.stride;
      if (!b[o]) continue;
      const n = v < b[o + 1] ? b[o + HEAD + v] : 0;
      eq[c] += n;
      ne[c] += b[o + 2] - n;
    }
  }

  /** Weights as [c · numValues + v] (a copy; state and tests read it). */
  get counts(): Float64Array {
    const out = new Float64Array(this.numClasses * this.numValues);
    for (let c = 0; c < this.numClasses; c++) for (let v = 0; v < this.numValues; v++) out[c * this.numValues + v] = this.buf[this.off + c * this.stride + HEAD + v];
    return out;
  }

  get classTotal(): Float64Array {
    return Float64Array.from({ length: this.numClasses }, (_, c) => this.buf[this.off + c * this.stride + 2]);
  }

  get length(): Int32Array {
    return Int32Array.from({ length: this.numClasses }, (_, c) => this.buf[this.off + c * this.stride + 1]);
  }

  get present(): Uint8Array {
    return Uint8Array.from({ length: this.numClasses }, (_, c) => this.buf[this.off + c * this.stride]);
  }

  /** Sets the counts (a state restore). */
  restore(s: { counts: ArrayLike<number>; classTotal: ArrayLike<number>; length: ArrayLike<number>; present: ArrayLike<number> }): void {
    const b = this.buf;
    for (let c = 0; c < this.numClasses; c++) {
      const o = this.off + c * this.stride;
      b[o] = s.present[c] ? 1 : 0;
      b[o + 1] = s.length[c];
      b[o + 2] = s.classTotal[c];
      for (let v = 0; v < this.numValues; v++) b[o + HEAD + v] = s.counts[c * this.numValues + v];
    }
  }
}

export type AttributeObserver = NumericObserver | NominalObserver;

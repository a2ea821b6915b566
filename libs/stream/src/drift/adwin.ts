/**
 * ADWIN (Bifet & Gavaldà 2007) exactly as MOA's `core.driftdetection.ADWIN`: an exponential histogram of
 * buckets (row i holds buckets of 2^i items, at most M + 1 before its two oldest merge into the next row),
 * checked every `clock` inputs once the window exceeds 10 items; every split point from the oldest side is
 * tested and the oldest bucket dropped while a cut is found.
 */
export interface AdwinOptions {
  /** Confidence δ (MOA default 0.002). */
  delta?: number;
  /** Check every `clock` inputs (32). */
  clock?: number;
  /** M, buckets per row before merging (5). */
  maxBuckets?: number;
  /** Minimum sub-window length (5). */
  minWindowLength?: number;
  /** Only check when the window is longer than this (10). */
  minWindowWidth?: number;
}

interface Row {
  total: number[];
  variance: number[];
}

export interface AdwinState {
  options: Required<AdwinOptions>;
  rows: Row[];
  time: number;
  width: number;
  total: number;
  variance: number;
  detections: number;
}

export class Adwin {
  readonly options: Required<AdwinOptions>;
  /**
   * The rows of the histogram in one array: row i holds counts[i] buckets, their totals at
   * store[i·2·cap + k] and variances at store[i·2·cap + cap + k], k = 0 the oldest; row 0 holds the newest,
   * single-item buckets. A row never holds more than M + 1 buckets, so fixed-size rows shifted in place
   * replace MOA's lists (and two arrays spliced per row on every insert); `getState` writes the same rows,
   * and every sum is formed as before. A forest keeps hundreds of detectors: one array each stays in cache.
   */
  private store: Float64Array;
  private counts: Int32Array;
  /** Buckets a row can hold (M + 1, or a restored state's longest row). */
  private cap: number;
  private numRows = 1;
  private time = 0;
  private width = 0;
  private total = 0;
  private variance = 0;
  /** log(2·ln(width) / δ) of the cut test, for the width it was computed at (constant through a check). */
  private ddWidth = -1;
  private dd = 0;
  detections = 0;

  constructor(options: AdwinOptions = {}) {
    this.options = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, minWindowWidth: 10, ...options };
    const d = this.options.delta;
    if (!(d > 0 && d < 1)) throw new RangeError(`Adwin.delta: expected in (0, 1), got ${d}`);
    this.cap = this.options.maxBuckets + 1;
    this.store = new Float64Array(8 * 2 * this.cap);
    this.counts = new Int32Array(8);
  }

  get windowWidth(): number {
    return this.width;
  }

  /** Mean of the current window. */
  get estimation(): number {
    return this.width > 0 ? this.total / this.width : 0;
  }

  private addRow(): void {
    const i = this.numRows++;
    if (i === this.counts.length) {
      const store = new Float64Array(this.store.length * 2);
      store.set(this.store);
      this.store = store;
      const counts = new Int32Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.counts[i] = 0;
  }

  private push(i: number, total: number, variance: number): void {
    const k = this.counts[i]++;
    const o = i * 2 * this.cap + k;
    this.store[o] = total;
    this.store[o + this.cap] = variance;
  }

  /** Removes the `k` oldest buckets of row i. */
  private shift(i: number, k: number): void {
    const st = this.store;
    const o = i * 2 * this.cap;
    const v = o + this.cap;
    const n = this.counts[i] - k;
    for (let j = 0; j < n; j++) {
      st[o + j] = st[o + j + k];
      st[v + j] = st[v + j + k];
    }
    this.counts[i] = n;
  }

  /** Adds a value; true when the window was cut (a change was detected). */
  update(value: number): boolean {
    this.time++;
    this.insert(value);
    let change = false;
    const { clock, minWindowWidth, minWindowLength, delta } = this.options;
    if (this.time % clock === 0 && this.width > minWindowWidth) {
      let reduce = true;
      while (reduce) {
        reduce = false;
        let exit = false;
        let n0 = 0;
        let n1 = this.width;
        let u0 = 0;
        let u1 = this.total;
        const st = this.store;
        for (let i = this.numRows - 1; i >= 0 && !exit; i--) {
          const row = i * 2 * this.cap;
          const count = this.counts[i];
          const n2 = 2 ** i;
          for (let k = 0; k < count; k++) {
            const u2 = st[row + k];
            // MOA also tracks the sub-windows' variances here, but its cut test uses the whole window's.
            n0 += n2;
            n1 -= n2;
            u0 += u2;
            u1 -= u2;
            if (i === 0 && k === count - 1) {
              exit = true;
              break;
            }
            const diff = u0 / n0 - u1 / n1;
            if (n1 > minWindowLength + 1 && n0 > minWindowLength + 1 && this.cut(n0, n1, diff, delta)) {
              reduce = true;
              change = true;
              if (this.width > 0) {
                n0 -= this.deleteOldest();
                exit = true;
                break;
              }
            }
          }
        }
      }
    }
    if (change) this.detections++;
    return change;
  }

  private cut(n0: number, n1: number, diff: number, delta: number): boolean {
    const n = this.width;
    if (n !== this.ddWidth) {
      this.ddWidth = n;
      this.dd = Math.log((2 * Math.log(n)) / delta);
    }
    const dd = this.dd;
    const v = this.variance / this.width;
    const mLen = this.options.minWindowLength;
    const m = 1 / (n0 - mLen + 1) + 1 / (n1 - mLen + 1);
    const epsilon = Math.sqrt(2 * m * v * dd) + (2 / 3) * dd * m;
    return Math.abs(diff) > epsilon;
  }

  private insert(value: number): void {
    this.width++;
    this.push(0, value, 0);
    if (this.width > 1) {
      const prevMean = this.total / (this.width - 1);
      this.variance += ((this.width - 1) * (value - prevMean) * (value - prevMean)) / this.width;
    }
    this.total += value;
    this.compress();
  }

  private compress(): void {
    const max = this.options.maxBuckets;
    for (let i = 0; i < this.numRows; i++) {
      if (this.counts[i] !== max + 1) break;
      if (i + 1 === this.numRows) this.addRow();
      const st = this.store;
      const t = i * 2 * this.cap;
      const v = t + this.cap;
      const n = 2 ** i;
      const u1 = st[t] / n;
      const u2 = st[t + 1] / n;
      const incVariance = (n * n * (u1 - u2) * (u1 - u2)) / (n + n);
      this.push(i + 1, st[t] + st[t + 1], st[v] + st[v + 1] + incVariance);
      this.shift(i, 2);
      if (this.counts[i + 1] <= max) break;
    }
  }

  private deleteOldest(): number {
    const last = this.numRows - 1;
    const t = last * 2 * this.cap;
    const t0 = this.store[t];
    const v0 = this.store[t + this.cap];
    const n1 = 2 ** last;
    this.width -= n1;
    this.total -= t0;
    const u1 = t0 / n1;
    const incVariance = v0 + (n1 * this.width * (u1 - this.total / this.width) * (u1 - this.total / this.width)) / (n1 + this.width);
    this.variance -= incVariance;
    this.shift(last, 1);
    if (this.counts[last] === 0 && last > 0) this.numRows--;
    return n1;
  }

  getState(): AdwinState {
    const rows: Row[] = [];
    for (let i = 0; i < this.numRows; i++) {
      const o = i * 2 * this.cap;
      const k = this.counts[i];
      rows.push({ total: Array.from(this.store.subarray(o, o + k)), variance: Array.from(this.store.subarray(o + this.cap, o + this.cap + k)) });
    }
    return { options: this.options, rows, time: this.time, width: this.width, total: this.total, variance: this.variance, detections: this.detections };
  }

  static fromState(s: AdwinState): Adwin {
    const a = new Adwin(s.options);
    const longest = s.rows.reduce((m, r) => Math.max(m, r.total.length), 0);
    if (longest > a.cap) {
      a.cap = longest;
      a.store = new Float64Array(a.counts.length * 2 * a.cap);
    }
    a.numRows = 0;
    for (const r of s.rows) {
      const i = a.numRows;
      a.addRow();
      const o = i * 2 * a.cap;
      a.store.set(r.total, o);
      a.store.set(r.variance, o + a.cap);
      a.counts[i] = r.total.length;
    }
    a.time = s.time;
    a.width = s.width;
    a.total = s.total;
    a.variance = s.variance;
    a.detections = s.detections;
    return a;
  }
}

/**
 * MOA `ADWINChangeDetector` (what ARF uses): feeds the error indicator to ADWIN and reports a change only
 * when the window was cut *and* the error estimate went up.
 */
export class AdwinChangeDetector {
  adwin: Adwin;
  changeDetected = false;

  constructor(readonly delta: number) {
    this.adwin = new Adwin({ delta });
  }

  input(error: number): boolean {
    const before = this.adwin.estimation;
    this.changeDetected = this.adwin.update(error) && this.adwin.estimation > before;
    return this.changeDetected;
  }
}

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
  /** rows[0] holds the newest, single-item buckets; within a row index 0 is the oldest. */
  private rows: Row[] = [{ total: [], variance: [] }];
  private time = 0;
  private width = 0;
  private total = 0;
  private variance = 0;
  detections = 0;

  constructor(options: AdwinOptions = {}) {
    this.options = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, minWindowWidth: 10, ...options };
    const d = this.options.delta;
    if (!(d > 0 && d < 1)) throw new RangeError(`Adwin.delta: expected in (0, 1), got ${d}`);
  }

  get windowWidth(): number {
    return this.width;
  }

  /** Mean of the current window. */
  get estimation(): number {
    return this.width > 0 ? this.total / this.width : 0;
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
        for (let i = this.rows.length - 1; i >= 0 && !exit; i--) {
          const row = this.rows[i];
          const n2 = 2 ** i;
          for (let k = 0; k < row.total.length; k++) {
            const u2 = row.total[k];
            // MOA also tracks the sub-windows' variances here, but its cut test uses the whole window's.
            n0 += n2;
            n1 -= n2;
            u0 += u2;
            u1 -= u2;
            if (i === 0 && k === row.total.length - 1) {
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
    const dd = Math.log((2 * Math.log(n)) / delta);
    const v = this.variance / this.width;
    const mLen = this.options.minWindowLength;
    const m = 1 / (n0 - mLen + 1) + 1 / (n1 - mLen + 1);
    const epsilon = Math.sqrt(2 * m * v * dd) + (2 / 3) * dd * m;
    return Math.abs(diff) > epsilon;
  }

  private insert(value: number): void {
    this.width++;
    this.rows[0].total.push(value);
    this.rows[0].variance.push(0);
    if (this.width > 1) {
      const prevMean = this.total / (this.width - 1);
      this.variance += ((this.width - 1) * (value - prevMean) * (value - prevMean)) / this.width;
    }
    this.total += value;
    this.compress();
  }

  private compress(): void {
    const max = this.options.maxBuckets;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i];
      if (row.total.length !== max + 1) break;
      if (i + 1 === this.rows.length) this.rows.push({ total: [], variance: [] });
      const next = this.rows[i + 1];
      const n = 2 ** i;
      const u1 = row.total[0] / n;
      const u2 = row.total[1] / n;
      const incVariance = (n * n * (u1 - u2) * (u1 - u2)) / (n + n);
      next.total.push(row.total[0] + row.total[1]);
      next.variance.push(row.variance[0] + row.variance[1] + incVariance);
      row.total.splice(0, 2);
      row.variance.splice(0, 2);
      if (next.total.length <= max) break;
    }
  }

  private deleteOldest(): number {
    const last = this.rows.length - 1;
    const row = this.rows[last];
    const n1 = 2 ** last;
    this.width -= n1;
    this.total -= row.total[0];
    const u1 = row.total[0] / n1;
    const incVariance = row.variance[0] + (n1 * this.width * (u1 - this.total / this.width) * (u1 - this.total / this.width)) / (n1 + this.width);
    this.variance -= incVariance;
    row.total.shift();
    row.variance.shift();
    if (row.total.length === 0 && last > 0) this.rows.pop();
    return n1;
  }

  getState(): AdwinState {
    return { options: this.options, rows: this.rows.map((r) => ({ total: [...r.total], variance: [...r.variance] })), time: this.time, width: this.width, total: this.total, variance: this.variance, detections: this.detections };
  }

  static fromState(s: AdwinState): Adwin {
    const a = new Adwin(s.options);
    a.rows = s.rows.map((r) => ({ total: [...r.total], variance: [...r.variance] }));
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

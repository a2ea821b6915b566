/**
 * Prequential (test-then-train) classification metrics as MOA's BasicClassificationPerformanceEvaluator
 * computes them — accuracy, Cohen's kappa, kappa_m (vs. the majority class, counted *after* adding the
 * current label, MOA's quirk) and kappa_t (vs. "predict the previous label", first previous label 0) —
 * cumulatively and over a sliding window of the last `windowSize` instances.
 */
export interface ClassificationMetrics {
  instances: number;
  /** In [0, 1]. */
  accuracy: number;
  kappa: number;
  kappaM: number;
  kappaT: number;
}

/** Everything a PrequentialEvaluator counts, JSON-compatible: restoring it resumes the metrics exactly. */
export interface PrequentialEvaluatorState {
  numClasses: number;
  windowSize: number;
  lastLabel: number;
  head: number;
  total: CountsState;
  window: CountsState;
  ringY: number[];
  ringPred: number[];
  ringNoChange: number[];
}

interface CountsState {
  n: number;
  correct: number;
  noChangeCorrect: number;
  majorityCorrect: number;
  predicted: number[];
  actual: number[];
}

class Counts {
  n = 0;
  correct = 0;
  noChangeCorrect = 0;
  majorityCorrect = 0;
  readonly predicted: Float64Array;
  readonly actual: Float64Array;
  constructor(k: number) {
    this.predicted = new Float64Array(k);
    this.actual = new Float64Array(k);
  }
  state(): CountsState {
    return { n: this.n, correct: this.correct, noChangeCorrect: this.noChangeCorrect, majorityCorrect: this.majorityCorrect, predicted: Array.from(this.predicted), actual: Array.from(this.actual) };
  }
  load(s: CountsState, what: string): void {
    if (s?.predicted?.length !== this.predicted.length || s.actual?.length !== this.actual.length) {
      throw new RangeError(`PrequentialEvaluator state.${what}: expected per-class counts of length ${this.predicted.length}, got ${s?.predicted?.length}/${s?.actual?.length}`);
    }
    for (const k of ['n', 'correct', 'noChangeCorrect', 'majorityCorrect'] as const) {
      if (!Number.isInteger(s[k]) || s[k] < 0) throw new RangeError(`PrequentialEvaluator state.${what}.${k}: expected a non-negative integer, got ${s[k]}`);
      this[k] = s[k];
    }
    this.predicted.set(s.predicted);
    this.actual.set(s.actual);
  }
  metrics(majorityCorrect: number): ClassificationMetrics {
    const n = this.n;
    if (n === 0) return { instances: 0, accuracy: 0, kappa: 0, kappaM: 0, kappaT: 0 };
    const p0 = this.correct / n;
    let pc = 0;
    for (let c = 0; c < this.predicted.length; c++) pc += (this.predicted[c] / n) * (this.actual[c] / n);
    const pm = majorityCorrect / n;
    const pe = this.noChangeCorrect / n;
    const k = (p: number) => (p0 - p) / (1 - p);
    return { instances: n, accuracy: p0, kappa: k(pc), kappaM: k(pm), kappaT: k(pe) };
  }
}

export class PrequentialEvaluator {
  private readonly total: Counts;
  private readonly window: Counts;
  private lastLabel = 0;
  // Ring buffer of the window's instances: label, prediction, whether "previous label" was right.
  private readonly ringY: Int32Array;
  private readonly ringPred: Int32Array;
  private readonly ringNoChange: Uint8Array;
  private head = 0;

  constructor(
    readonly numClasses: number,
    readonly windowSize = 1000,
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 2) throw new RangeError(`PrequentialEvaluator.numClasses: expected an integer ≥ 2, got ${numClasses}`);
    if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError(`PrequentialEvaluator.windowSize: expected a positive integer, got ${windowSize}`);
    this.total = new Counts(numClasses);
    this.window = new Counts(numClasses);
    this.ringY = new Int32Array(windowSize);
    this.ringPred = new Int32Array(windowSize);
    this.ringNoChange = new Uint8Array(windowSize);
  }

  add(y: number, predicted: number): void {
    if (!(y >= 0 && y < this.numClasses) || !Number.isInteger(y)) throw new RangeError(`PrequentialEvaluator.add: label must be a class index 0..${this.numClasses - 1}, got ${y}`);
    // A prediction outside 0..numClasses−1 (a learner with more outputs than classes) is simply wrong.
    if (!(predicted >= 0) || !Number.isInteger(predicted)) throw new RangeError(`PrequentialEvaluator.add: prediction must be a non-negative class index, got ${predicted}`);
    const inRange = predicted < this.numClasses;
    const t = this.total;
    const noChange = this.lastLabel === y ? 1 : 0;
    t.n++;
    if (predicted === y) t.correct++;
    if (inRange) t.predicted[predicted]++;
    t.actual[y]++;
    t.noChangeCorrect += noChange;
    let majority = 0;
    for (let c = 1; c < this.numClasses; c++) if (t.actual[c] > t.actual[majority]) majority = c;
    if (majority === y) t.majorityCorrect++;
    this.lastLabel = y;

    const w = this.window;
    if (w.n === this.windowSize) {
      const oy = this.ringY[this.head];
      const op = this.ringPred[this.head];
      w.n--;
      if (oy === op) w.correct--;
      if (op < this.numClasses) w.predicted[op]--;
      w.actual[oy]--;
      w.noChangeCorrect -= this.ringNoChange[this.head];
    }
    this.ringY[this.head] = y;
    this.ringPred[this.head] = predicted;
    this.ringNoChange[this.head] = noChange;
    this.head = (this.head + 1) % this.windowSize;
    w.n++;
    if (predicted === y) w.correct++;
    if (inRange) w.predicted[predicted]++;
    w.actual[y]++;
    w.noChangeCorrect += noChange;
  }

  get instances(): number {
    return this.total.n;
  }

  /** The counts and the window's ring buffer, so that a snapshot restores windowed metrics too. */
  getState(): PrequentialEvaluatorState {
    return {
      numClasses: this.numClasses,
      windowSize: this.windowSize,
      lastLabel: this.lastLabel,
      head: this.head,
      total: this.total.state(),
      window: this.window.state(),
      ringY: Array.from(this.ringY),
      ringPred: Array.from(this.ringPred),
      ringNoChange: Array.from(this.ringNoChange),
    };
  }

  /** Rebuilds an evaluator from `getState()`; it then reports and continues exactly as the saved one. */
  static fromState(s: PrequentialEvaluatorState): PrequentialEvaluator {
    const e = new PrequentialEvaluator(s?.numClasses, s?.windowSize);
    const ringLength = (r: unknown): number => (Array.isArray(r) ? r.length : -1);
    for (const k of ['ringY', 'ringPred', 'ringNoChange'] as const) {
      if (ringLength(s[k]) !== e.windowSize) throw new RangeError(`PrequentialEvaluator state.${k}: expected ${e.windowSize} entries, got ${ringLength(s[k])}`);
    }
    if (!Number.isInteger(s.head) || s.head < 0 || s.head >= e.windowSize) throw new RangeError(`PrequentialEvaluator state.head: expected an integer 0..${e.windowSize - 1}, got ${s.head}`);
    if (!Number.isInteger(s.lastLabel) || s.lastLabel < 0 || s.lastLabel >= e.numClasses) throw new RangeError(`PrequentialEvaluator state.lastLabel: expected a class index 0..${e.numClasses - 1}, got ${s.lastLabel}`);
    e.total.load(s.total, 'total');
    e.window.load(s.window, 'window');
    e.ringY.set(s.ringY);
    e.ringPred.set(s.ringPred);
    e.ringNoChange.set(s.ringNoChange);
    e.head = s.head;
    e.lastLabel = s.lastLabel;
    return e;
  }

  cumulative(): ClassificationMetrics {
    return this.total.metrics(this.total.majorityCorrect);
  }

  /** Over the last `windowSize` instances; kappa_m uses the window's own majority class. */
  windowed(): ClassificationMetrics {
    let max = 0;
    for (let c = 0; c < this.numClasses; c++) if (this.window.actual[c] > max) max = this.window.actual[c];
    return this.window.metrics(max);
  }
}

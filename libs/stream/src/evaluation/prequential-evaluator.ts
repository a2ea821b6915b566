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

/** What the accuracy-drop monitor saves with a snapshot or checkpoint (plain JSON). */
export interface AccuracyDropState {
  window: number;
  threshold: number;
  /** Correctness of the last `window` predictions, oldest first (1 = right). */
  ring: number[];
  head: number;
  filled: number;
  correct: number;
  /** Best full-window accuracy since the last alarm (the level a drop is measured from). */
  reference: number | null;
}

export interface AccuracyDrop {
  /** Windowed accuracy before (the reference) and now, in [0, 1]. */
  from: number;
  to: number;
  window: number;
}

/**
 * Flags a concept drift the way an operator sees one: the accuracy over the last `window` predictions falls
 * `threshold` below the best full-window accuracy reached since the previous alarm. It complements the
 * learners' own detectors (ADWIN in ARF and the improved variant), which DriftMoE-Data and -Task lack.
 * After an alarm the reference restarts from the current level, so one drop raises one event.
 */
export class AccuracyDropMonitor {
  private readonly ring: Uint8Array;
  private head = 0;
  private filled = 0;
  private correct = 0;
  private reference: number | null = null;

  constructor(
    readonly window = 500,
    readonly threshold = 0.1,
  ) {
    if (!Number.isInteger(window) || window < 10) throw new RangeError(`AccuracyDropMonitor.window: expected an integer ≥ 10, got ${window}`);
    if (!(threshold > 0 && threshold < 1)) throw new RangeError(`AccuracyDropMonitor.threshold: expected a number in (0, 1), got ${threshold}`);
    this.ring = new Uint8Array(window);
  }

  /** Records one prediction's outcome; returns the drop when this instance completes one. */
  add(right: boolean): AccuracyDrop | null {
    if (this.filled === this.window) this.correct -= this.ring[this.head];
    else this.filled++;
    this.ring[this.head] = right ? 1 : 0;
    this.correct += this.ring[this.head];
    this.head = (this.head + 1) % this.window;
    if (this.filled < this.window) return null;
    const acc = this.correct / this.window;
    if (this.reference === null || acc > this.reference) {
      this.reference = acc;
      return null;
    }
    // A small tolerance so that 1 − 0.8 (= 0.19999…) counts as a drop of 0.2.
    if (this.reference - acc >= this.threshold - 1e-9) {
      const drop = { from: this.reference, to: acc, window: this.window };
      this.reference = acc;
      return drop;
    }
    return null;
  }

  /** Accuracy over the predictions in the window so far (0 before the first). */
  get accuracy(): number {
    return this.filled === 0 ? 0 : this.correct / this.filled;
  }

  getState(): AccuracyDropState {
    return { window: this.window, threshold: this.threshold, ring: Array.from(this.ring), head: this.head, filled: this.filled, correct: this.correct, reference: this.reference };
  }

  static fromState(s: AccuracyDropState): AccuracyDropMonitor {
    const m = new AccuracyDropMonitor(s.window, s.threshold);
    if (!Array.isArray(s.ring) || s.ring.length !== s.window) throw new RangeError(`accuracy monitor state.ring: expected ${s.window} entries, got ${Array.isArray(s.ring) ? s.ring.length : typeof s.ring}`);
    m.ring.set(s.ring);
    m.head = s.head;
    m.filled = s.filled;
    m.correct = s.correct;
    m.reference = s.reference;
    return m;
  }
}

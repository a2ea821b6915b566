import { TrainingError } from './training-error.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** 'min' for losses/errors, 'max' for accuracy/AUC. */
  mode: 'min' | 'max';
  /** Evaluations without improvement tolerated before stopping (Infinity: never stop). */
  patience: number;
  /** An improvement must beat the best by more than this (absolute). */
  minDelta: number;
}

/** What {@link EarlyStopping.update} says about one evaluation. */
export interface EarlyStoppingUpdate {
  improved: boolean;
  best: number;
  /** Evaluations since the last improvement. */
  waits: number;
  stop: boolean;
}

/**
 * Tracks the best validation value and says when patience has run out (Keras' EarlyStopping semantics:
 * stop after `patience` consecutive evaluations that did not improve on the best by more than `minDelta`).
 */
export class EarlyStopping {
  private bestValue: number | undefined;
  private waitCount = 0;

  constructor(readonly options: EarlyStoppingOptions) {
    const { mode, patience, minDelta } = options;
    if (mode !== 'min' && mode !== 'max') throw new TrainingError('invalid_argument', `validation.mode must be 'min' or 'max', got ${JSON.stringify(mode)}`);
    if (!(patience === Infinity || (Number.isInteger(patience) && patience >= 0))) throw new TrainingError('invalid_argument', `validation.patience must be a non-negative integer or Infinity, got ${patience}`);
    if (!(Number.isFinite(minDelta) && minDelta >= 0)) throw new TrainingError('invalid_argument', `validation.minDelta must be a non-negative number, got ${minDelta}`);
  }

  get best(): number | undefined {
    return this.bestValue;
  }

  update(value: number): EarlyStoppingUpdate {
    const { mode, patience, minDelta } = this.options;
    const improved = Number.isFinite(value) && (this.bestValue === undefined
      || (mode === 'min' ? value < this.bestValue - minDelta : value > this.bestValue + minDelta));
    if (improved) {
      this.bestValue = value;
      this.waitCount = 0;
    } else {
      this.waitCount++;
    }
    return { improved, best: this.bestValue ?? NaN, waits: this.waitCount, stop: !improved && this.waitCount >= patience };
  }
}

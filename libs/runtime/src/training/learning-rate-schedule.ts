import { TrainingError } from './training-error.js';

/** Linear warm-up from ~0 to `peak`, then cosine decay to `minLearningRate` at `totalSteps`. */
export interface WarmupCosineOptions {
  peak: number;
  /** Steps of linear warm-up (0 for none). */
  warmupSteps: number;
  /** Step at which the cosine reaches its floor; `train` fills it from `steps`/`epochs` when it can. */
  totalSteps?: number;
  /** Floor of the decay (default 0). */
  minLearningRate?: number;
}

/** A constant, a warm-up + cosine description, or any function of the 0-based step. */
export type LearningRateSchedule = number | WarmupCosineOptions | ((step: number) => number);

/**
 * The warm-up + cosine schedule as a function of the 0-based step. Warm-up ends at `peak` on step
 * `warmupSteps - 1` (never 0 on step 0, which would waste a step); after `totalSteps` it stays at the floor.
 *
 * ```ts
 * const lr = warmupCosine({ peak: 1e-3, warmupSteps: 100, totalSteps: 1000 });
 * lr(0); // 1e-5   lr(99); // 1e-3   lr(1000); // 0
 * ```
 */
export function warmupCosine(options: WarmupCosineOptions): (step: number) => number {
  const { peak, warmupSteps, totalSteps, minLearningRate = 0 } = options;
  const where = 'learningRate';
  if (!(Number.isFinite(peak) && peak > 0)) throw new TrainingError('invalid_argument', `${where}.peak must be a positive number, got ${peak}`);
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0)) throw new TrainingError('invalid_argument', `${where}.warmupSteps must be a non-negative integer, got ${warmupSteps}`);
  if (totalSteps === undefined) throw new TrainingError('invalid_argument', `${where}.totalSteps is required when the number of steps is not known up front (set steps, or epochs with array data)`);
  if (!(Number.isInteger(totalSteps) && totalSteps > warmupSteps)) throw new TrainingError('invalid_argument', `${where}.totalSteps must be an integer greater than warmupSteps (${warmupSteps}), got ${totalSteps}`);
  if (!(Number.isFinite(minLearningRate) && minLearningRate >= 0 && minLearningRate <= peak)) {
    throw new TrainingError('invalid_argument', `${where}.minLearningRate must be in [0, peak=${peak}], got ${minLearningRate}`);
  }
  const decaySteps = totalSteps - warmupSteps;
  return (step: number): number => {
    if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / decaySteps);
    return minLearningRate + 0.5 * (peak - minLearningRate) * (1 + Math.cos(Math.PI * progress));
  };
}

/** Turns any schedule form into a function; `knownTotalSteps` fills a missing `totalSteps`. */
export function resolveSchedule(schedule: LearningRateSchedule, knownTotalSteps: number | undefined): (step: number) => number {
  if (typeof schedule === 'function') return schedule;
  if (typeof schedule === 'number') {
    if (!(Number.isFinite(schedule) && schedule > 0)) throw new TrainingError('invalid_argument', `learningRate must be a positive number, got ${schedule}`);
    return () => schedule;
  }
  if (schedule === null || typeof schedule !== 'object') throw new TrainingError('invalid_argument', `learningRate must be a number, a function of the step or {peak, warmupSteps, totalSteps?}, got ${schedule === null ? 'null' : typeof schedule}`);
  return warmupCosine({ ...schedule, totalSteps: schedule.totalSteps ?? knownTotalSteps });
}

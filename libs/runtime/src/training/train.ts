import * as tf from '@tensorflow/tfjs-core';
import '../backend/register-kernels.js';
import { createRng, childSeed, type Rng } from '../seed/rng.js';
import { EarlyStopping } from './early-stopping.js';
import { assertNoLeak, liveNonVariableTensors } from './leak-guard.js';
import { resolveSchedule, type LearningRateSchedule } from './learning-rate-schedule.js';
import { getOptimizerLearningRate, setOptimizerLearningRate } from './optimizer-learning-rate.js';
import { createProgressReporter, type ProgressMode, type ProgressReporter, type ProgressReporterOptions } from './progress-reporter.js';
import { runTrainStep } from './run-train-step.js';
import { disposeBatch, openEpoch, type TrainData } from './train-data.js';
import type { StopReason, TrainEvent } from './train-events.js';
import type { Trainable } from './trainable.js';
import { TrainingError } from './training-error.js';
import { WeightsSnapshot } from './weights-snapshot.js';

/** What lossFn receives besides the batch. */
export interface StepContext {
  /** 0-based global step. */
  step: number;
  epoch: number;
  /** A per-step seed derived from the run's seed: pass it to tfjs random ops (dropout, noise) for determinism. */
  seed: number;
  learningRate: number | null;
}

/** Validation, early stopping and best-weights restore of {@link train}. */
export interface ValidationOptions {
  /**
   * Computes the validation metric (e.g. mean loss over a held-out set): a number, or a one-element tensor
   * that train reads (asynchronously) and disposes.
   */
  evaluate: (context: { step: number; epoch: number }) => number | tf.Tensor | Promise<number | tf.Tensor>;
  /** Evaluate every n steps; default: at the end of each epoch. */
  everySteps?: number;
  /** Name used in progress events (default 'val_loss'). */
  metric?: string;
  /** 'min' (default) for losses, 'max' for accuracy/AUC. */
  mode?: 'min' | 'max';
  /** Evaluations without improvement before stopping early (default: never stop). */
  patience?: number;
  /** Minimum absolute improvement that counts (default 0). */
  minDelta?: number;
  /** At the end, put back the weights of the best evaluation if a later one was worse (default true). */
  restoreBestWeights?: boolean;
}

/** Options of {@link train}. */
export interface TrainOptions<B> {
  /** A model exposing trainableVariables() (and getWeights/setWeights for best-weights restore)... */
  model?: Trainable;
  /** ...or the variables to train directly. Exactly one of model/variables. */
  variables?: tf.Variable[];
  /** Loss of one batch; must be a scalar (rank 0). Runs under the gradient tape: synchronous, tensor ops only. */
  lossFn: (batch: B, context: StepContext) => tf.Tensor;
  data: TrainData<B>;
  optimizer: tf.Optimizer;
  /** Total optimisation steps (cycling over the data as needed). At least one of steps/epochs. */
  steps?: number;
  /** Passes over the data. With both, training stops at whichever comes first. */
  epochs?: number;
  /** Learning rate per step; a `{peak, warmupSteps}` object means warm-up + cosine. Default: the optimizer's own. */
  learningRate?: LearningRateSchedule;
  /** Clip gradients to this global L2 norm. */
  clipNorm?: number;
  validation?: ValidationOptions;
  /** Seeds data order and StepContext.seed (default 0). */
  seed?: number;
  /** Reshuffle array data every epoch (default true). */
  shuffle?: boolean;
  /**
   * Progress output: 'auto' (default: a bar on a TTY, JSON lines otherwise), 'bar', 'json', 'none', reporter
   * options (`{mode: 'json', everySteps: 50, stream}`), or your own reporter function.
   */
  progress?: ProgressMode | ProgressReporterOptions | ProgressReporter;
  /**
   * Called with every event, whatever `progress` is. A returned promise is awaited before training goes
   * on, so a callback can save a checkpoint at an epoch's end (`saveCheckpoint`) without racing the next step.
   */
  onProgress?: (event: TrainEvent) => unknown;
  /** Fail when a step leaves more tensors alive than before it (default true). */
  checkLeaks?: boolean;
  /** Stops after the current step; the result says 'aborted'. */
  signal?: AbortSignal;
}

/** What {@link train} resolves with. */
export interface TrainResult {
  stopReason: StopReason;
  steps: number;
  epochs: number;
  /** Loss of every step, in order. */
  losses: number[];
  validation: { step: number; epoch: number; value: number }[];
  bestValue: number | null;
  bestStep: number | null;
  restoredBest: boolean;
  elapsedMs: number;
}

/**
 * Trains `variables` (or `model.trainableVariables()`) with `optimizer` on `data`, see {@link TrainOptions}.
 * Deterministic for a given seed on cpu: same data order, same per-step seeds, same losses.
 *
 * ```ts
 * const result = await train({
 *   model, optimizer: tf.train.adam(), data: batches, epochs: 10, lossFn: (b) => model.loss(b.x, b.y),
 *   learningRate: { peak: 1e-3, warmupSteps: 50 }, clipNorm: 1,
 *   validation: { evaluate: () => evalLoss(model, valSet), patience: 3 },
 * });
 * ```
 */
export async function train<B>(options: TrainOptions<B>): Promise<TrainResult> {
  const started = Date.now();
  const { lossFn, data, optimizer, steps, epochs, clipNorm, validation, signal } = options;
  const variables = resolveVariables(options);
  if (typeof lossFn !== 'function') throw new TrainingError('invalid_argument', `lossFn must be a function (batch, context) → scalar, got ${typeof lossFn}`);
  if (!(optimizer instanceof tf.Optimizer)) throw new TrainingError('invalid_argument', 'optimizer must be a tf.Optimizer (e.g. tf.train.adam(1e-3))');
  checkCount(steps, 'steps');
  checkCount(epochs, 'epochs');
  if (steps === undefined && epochs === undefined) throw new TrainingError('invalid_argument', 'one of steps or epochs is required');
  if (clipNorm !== undefined && !(Number.isFinite(clipNorm) && clipNorm > 0)) throw new TrainingError('invalid_argument', `clipNorm must be a positive number, got ${clipNorm}`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new TrainingError('invalid_argument', `seed must be an integer, got ${seed}`);
  if (!Array.isArray(data) && typeof data !== 'function') throw new TrainingError('invalid_argument', `data must be an array of batches or a function (epoch context) → iterable of batches, got ${data === null ? 'null' : typeof data}`);

  const totalSteps = plannedSteps(steps, epochs, Array.isArray(data) ? data.length : undefined);
  const schedule = options.learningRate === undefined ? undefined : resolveSchedule(options.learningRate, totalSteps);
  const everySteps = validation?.everySteps;
  if (validation) {
    if (typeof validation.evaluate !== 'function') throw new TrainingError('invalid_argument', `validation.evaluate must be a function, got ${typeof validation.evaluate}`);
    if (everySteps !== undefined && !(Number.isInteger(everySteps) && everySteps >= 1)) throw new TrainingError('invalid_argument', `validation.everySteps must be a positive integer, got ${everySteps}`);
  }
  const stopper = validation ? new EarlyStopping({ mode: validation.mode ?? 'min', patience: validation.patience ?? Infinity, minDelta: validation.minDelta ?? 0 }) : undefined;
  const restoreBest = validation?.restoreBestWeights ?? true;
  const best = new WeightsSnapshot(options.model, variables);
  const progress = options.progress ?? 'auto';
  const report = typeof progress === 'function' ? progress : createProgressReporter(typeof progress === 'string' ? { mode: progress } : progress);
  const emit = async (event: TrainEvent): Promise<void> => {
    report(event);
    await options.onProgress?.(event);
  };
  const checkLeaks = options.checkLeaks ?? true;
  const dataRng: Rng = createRng(childSeed(seed, 'data'));

  const result: TrainResult = { stopReason: 'completed', steps: 0, epochs: 0, losses: [], validation: [], bestValue: null, bestStep: null, restoredBest: false, elapsedMs: 0 };
  await emit({ type: 'start', totalSteps: totalSteps ?? null, epochs: epochs ?? null, seed, backend: tf.getBackend(), parameters: variables.reduce((n, v) => n + v.size, 0) });

  let step = 0;
  let stop: StopReason | undefined;
  const validate = async (epoch: number): Promise<void> => {
    if (!validation || !stopper) return;
    const value = await evaluateMetric(validation, step - 1, epoch, checkLeaks);
    const update = stopper.update(value);
    result.validation.push({ step: step - 1, epoch, value });
    if (update.improved) {
      result.bestValue = update.best;
      result.bestStep = step - 1;
      if (restoreBest) best.capture();
    }
    await emit({ type: 'validation', step: step - 1, epoch, metric: validation.metric ?? 'val_loss', value, best: update.best, improved: update.improved, waits: update.waits, patience: Number.isFinite(stopper.options.patience) ? stopper.options.patience : null });
    if (update.stop) stop = 'early_stopping';
  };

  try {
    for (let epoch = 0; stop === undefined && (epochs === undefined || epoch < epochs) && (steps === undefined || step < steps); epoch++) {
      const epochStart = Date.now();
      const { batches, owned } = openEpoch(data, epoch, dataRng, options.shuffle ?? true);
      let epochSteps = 0;
      let epochLoss = 0;
      try {
        for (let next = await batches.next(); !next.done; next = await batches.next()) {
          const batch = next.value;
          if (signal?.aborted) {
            if (owned) disposeBatch(batch);
            stop = 'aborted';
            break;
          }
          try {
            const learningRate = schedule ? schedule(step) : getOptimizerLearningRate(optimizer) ?? null;
            const baseline = checkLeaks ? liveNonVariableTensors() : 0;
            if (schedule && learningRate !== null) setOptimizerLearningRate(optimizer, learningRate);
            const context: StepContext = { step, epoch, seed: childSeed(seed, `step:${step}`), learningRate };
            const { loss, gradNorm, applied } = await runTrainStep(() => lossFn(batch, context), variables, optimizer, clipNorm, step);
            if (checkLeaks) assertNoLeak(baseline, step, 'the training step (lossFn + gradients + update)');
            if (!applied) {
              throw new TrainingError('non_finite_loss', `step ${step}: loss is ${loss}, gradient norm ${gradNorm}; the update was skipped, so the weights are those before this step. Lower the learning rate, set clipNorm, or check the inputs`, step);
            }
            result.losses.push(loss);
            epochLoss += loss;
            epochSteps++;
            await emit({ type: 'step', step, epoch, loss, gradNorm, clipped: clipNorm !== undefined && gradNorm > clipNorm, learningRate, totalSteps: totalSteps ?? null, elapsedMs: Date.now() - started });
          } finally {
            if (owned) disposeBatch(batch);
          }
          step++;
          if (signal?.aborted) {
            stop = 'aborted';
            break;
          }
          if (everySteps !== undefined && step % everySteps === 0) await validate(epoch);
          if (stop !== undefined || (steps !== undefined && step >= steps)) break;
        }
      } finally {
        // Closes a generator left mid-way (early stop, step limit, error) so its cleanup code runs.
        await batches.return?.();
      }
      if (epochSteps === 0) {
        if (stop === 'aborted') break;
        throw new TrainingError('empty_data', `epoch ${epoch} produced no batches`, step);
      }
      result.epochs = epoch + 1;
      await emit({ type: 'epoch', epoch, steps: epochSteps, meanLoss: epochLoss / epochSteps, elapsedMs: Date.now() - epochStart });
      if (everySteps === undefined && stop === undefined) await validate(epoch);
    }
    result.stopReason = stop ?? 'completed';
    result.steps = step;
    const lastValidation = result.validation.at(-1);
    if (restoreBest && best.hasValue && lastValidation && result.bestStep !== lastValidation.step) {
      best.restore();
      result.restoredBest = true;
    }
  } finally {
    best.release();
  }
  result.elapsedMs = Date.now() - started;
  await emit({ type: 'end', stopReason: result.stopReason, steps: result.steps, epochs: result.epochs, finalLoss: result.losses.at(-1) ?? null, bestValue: result.bestValue, bestStep: result.bestStep, restoredBest: result.restoredBest, elapsedMs: result.elapsedMs });
  return result;
}

function resolveVariables<B>(options: TrainOptions<B>): tf.Variable[] {
  const { model, variables } = options;
  if ((model === undefined) === (variables === undefined)) throw new TrainingError('invalid_argument', `exactly one of model or variables is required, got ${model === undefined ? 'neither' : 'both'}`);
  if (model !== undefined && typeof model?.trainableVariables !== 'function') throw new TrainingError('invalid_argument', 'model must have a trainableVariables() method');
  const list = model ? model.trainableVariables() : variables;
  if (!Array.isArray(list) || list.length === 0) throw new TrainingError('invalid_argument', `${model ? 'model.trainableVariables()' : 'variables'} must be a non-empty array of tf.Variable, got ${Array.isArray(list) ? 'an empty array' : typeof list}`);
  list.forEach((v, i) => {
    if (!(v instanceof tf.Variable)) throw new TrainingError('invalid_argument', `${model ? 'model.trainableVariables()' : 'variables'}[${i}] must be a tf.Variable, got ${v === null ? 'null' : typeof v}`);
  });
  return list;
}

function checkCount(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new TrainingError('invalid_argument', `${name} must be a positive integer, got ${value}`);
}

/** Steps the run takes unless stopped early, when that is known before it starts. */
function plannedSteps(steps: number | undefined, epochs: number | undefined, batchesPerEpoch: number | undefined): number | undefined {
  const byEpochs = epochs !== undefined && batchesPerEpoch !== undefined ? epochs * batchesPerEpoch : undefined;
  if (steps !== undefined && byEpochs !== undefined) return Math.min(steps, byEpochs);
  // With only an upper bound (steps, data of unknown length) the schedule still spans `steps`.
  return steps ?? byEpochs;
}

async function evaluateMetric(validation: ValidationOptions, step: number, epoch: number, checkLeaks: boolean): Promise<number> {
  const baseline = checkLeaks ? liveNonVariableTensors() : 0;
  let raw: number | tf.Tensor;
  try {
    raw = await validation.evaluate({ step, epoch });
  } catch (e) {
    throw new TrainingError('step_failed', `step ${step}: validation.evaluate threw: ${(e as Error).message}`, step, { cause: e });
  }
  let value: number;
  if (raw instanceof tf.Tensor) {
    if (raw.size !== 1) {
      raw.dispose();
      throw new TrainingError('invalid_argument', `validation.evaluate must return a number or a scalar tensor, got shape [${raw.shape}]`, step);
    }
    value = (await raw.data())[0];
    raw.dispose();
  } else if (typeof raw === 'number') {
    value = raw;
  } else {
    throw new TrainingError('invalid_argument', `validation.evaluate must return a number or a scalar tensor, got ${typeof raw}`, step);
  }
  if (checkLeaks) assertNoLeak(baseline, step, 'validation.evaluate');
  return value;
}

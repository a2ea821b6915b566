/** Progress events `train` emits, one object per line in JSON mode; `type` is the discriminant. */
export type TrainEvent = TrainStartEvent | TrainStepEvent | TrainValidationEvent | TrainEpochEvent | TrainEndEvent;

export interface TrainStartEvent {
  type: 'start';
  /** Steps the run will take if it is not stopped early; null when the data length is unknown. */
  totalSteps: number | null;
  epochs: number | null;
  seed: number;
  backend: string;
  /** Trainable scalar parameters. */
  parameters: number;
}

export interface TrainStepEvent {
  type: 'step';
  /** 0-based index of the step just taken. */
  step: number;
  epoch: number;
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  clipped: boolean;
  /** Learning rate used for this step, when known. */
  learningRate: number | null;
  totalSteps: number | null;
  elapsedMs: number;
}

export interface TrainValidationEvent {
  type: 'validation';
  step: number;
  epoch: number;
  metric: string;
  value: number;
  best: number;
  improved: boolean;
  /** Evaluations since the last improvement, and how many are tolerated. */
  waits: number;
  patience: number | null;
}

export interface TrainEpochEvent {
  type: 'epoch';
  epoch: number;
  /** Steps taken in this epoch and their mean loss. */
  steps: number;
  meanLoss: number;
  elapsedMs: number;
}

export type StopReason = 'completed' | 'early_stopping' | 'aborted';

export interface TrainEndEvent {
  type: 'end';
  stopReason: StopReason;
  steps: number;
  epochs: number;
  finalLoss: number | null;
  bestValue: number | null;
  bestStep: number | null;
  restoredBest: boolean;
  elapsedMs: number;
}

/** Why `train` stopped with an error; `code` is the discriminant, `step` the 0-based step concerned. */
export type TrainingErrorCode =
  /** An option is missing or malformed (the message names it). */
  | 'invalid_argument'
  /** A step left more tensors alive than before it ran. */
  | 'tensor_leak'
  /** The loss or the gradient norm became NaN or infinite. */
  | 'non_finite_loss'
  /** An epoch produced no batches. */
  | 'empty_data'
  /** lossFn or the validation metric threw; the cause is attached. */
  | 'step_failed';

export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
    readonly step?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrainingError';
  }
}

export { BACKEND_NAMES, BackendSelectionError, parseBackendRequest } from './backend/backend-name.js';
export type { BackendName, BackendRequest, BackendAttempt } from './backend/backend-name.js';
export { selectBackend, selectBackendUnlessChosen, prepareBackend, getBackendSelection } from './backend/select-backend.js';
export type { BackendSelection, SelectBackendOptions } from './backend/select-backend.js';
export { installWebGpu } from './backend/webgpu-adapter.js';
export type { WebGpuAdapterInfo } from './backend/webgpu-adapter.js';

export { saveCheckpoint } from './checkpoint/save-checkpoint.js';
export type { SaveCheckpointOptions, SavedCheckpoint } from './checkpoint/save-checkpoint.js';
export { loadCheckpoint, verifyCheckpoint } from './checkpoint/load-checkpoint.js';
export type { LoadedCheckpoint, VerifiedCheckpoint } from './checkpoint/load-checkpoint.js';
export { CheckpointError, isCheckpointError } from './checkpoint/checkpoint-error.js';
export type { CheckpointErrorCode } from './checkpoint/checkpoint-error.js';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpoint/checkpoint-format.js';
export type { CheckpointContent, CheckpointDtype, CheckpointManifest, ManifestFileEntry, TensorIndexEntry } from './checkpoint/checkpoint-format.js';
export type { JsonValue } from './checkpoint/json-value.js';

export { createRng, childSeed, splitmix32 } from './seed/rng.js';
export type { Rng } from './seed/rng.js';
export { shuffleInPlace, permutation } from './seed/shuffle.js';

export { train } from './training/train.js';
export type { TrainOptions, TrainResult, StepContext, ValidationOptions } from './training/train.js';
export type { Trainable } from './training/trainable.js';
export type { TrainData } from './training/train-data.js';
export type { TrainEvent, TrainStartEvent, TrainStepEvent, TrainValidationEvent, TrainEpochEvent, TrainEndEvent, StopReason } from './training/train-events.js';
export { TrainingError } from './training/training-error.js';
export type { TrainingErrorCode } from './training/training-error.js';
export { warmupCosine } from './training/learning-rate-schedule.js';
export type { LearningRateSchedule, WarmupCosineOptions } from './training/learning-rate-schedule.js';
export { clipByGlobalNorm } from './training/clip-by-global-norm.js';
export { setOptimizerLearningRate } from './training/optimizer-learning-rate.js';
export { createProgressReporter } from './training/progress-reporter.js';
export type { ProgressMode, ProgressReporter, ProgressReporterOptions } from './training/progress-reporter.js';
export { EarlyStopping } from './training/early-stopping.js';
export type { EarlyStoppingOptions, EarlyStoppingUpdate } from './training/early-stopping.js';

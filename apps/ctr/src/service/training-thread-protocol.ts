import type { Heatmap } from '@moe/service';
import type { TrainConfig } from '../train/train-config.js';

/** What the training thread is given. */
export interface TrainingThreadInput {
  runId: number;
  config: TrainConfig;
  /** Where the thread saves the trained artefact. */
  artifactDir: string;
  /** Tensor backend request for the thread (each thread initialises its own). */
  backend: string;
}

/** Messages from the training thread, in order: steps and epochs, then one `done` or `error`. */
export type TrainingThreadMessage =
  | { type: 'step'; epoch: number; step: number; steps: number; loss: number }
  | { type: 'epoch'; epoch: number; trainLoss: number; validLogloss?: number; samplesPerSecond: number }
  | { type: 'done'; tasks: Record<string, { auc: number; logloss: number; pcoc: number }>; perDomainAuc: Record<string, number>; utilisation?: Omit<Heatmap, 'title'> }
  | { type: 'error'; message: string };

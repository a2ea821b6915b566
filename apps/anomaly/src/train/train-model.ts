import * as tf from '@tensorflow/tfjs-core';
import { train, shuffleInPlace, type ProgressMode, type ProgressReporter, type Rng, type TrainEvent } from '@moe/runtime';
import { resampleSegments } from '../data/resample-segments.js';
import type { VideoDataset } from '../data/video.js';
import { evaluateModel, type AnomalyMetrics } from '../eval/evaluate.js';
import { disposeOutput, type AnomalyModel } from '../model/anomaly-model.js';
import { METHODS } from '../model/methods.js';
import { classExpertLoss, denseBceLoss, memoryLoss, milK, topkMilLoss } from './losses.js';
import { tgsPseudoLabels, type TgsOptions } from './tgs.js';

export interface TrainSettings {
  epochs: number;
  /** Normal and abnormal videos per step each (UR-DMU: 64 + 64). */
  videosPerKind: number;
  /** Training videos are resampled to this many segments (UR-DMU: 200). */
  segments: number;
  learningRate: number;
  /** Share of the epochs trained with top-k MIL only before TGS starts (GS-MoE's warm-up). */
  tgsWarmup: number;
  weights: { memory: number; experts: number; tgs: number };
  tgs?: TgsOptions;
  seed: number;
  progress?: ProgressMode | ProgressReporter;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  epochs: 30,
  videosPerKind: 16,
  segments: 64,
  learningRate: 2e-3,
  tgsWarmup: 1 / 3,
  weights: { memory: 0.1, experts: 1, tgs: 1 },
  seed: 1,
  progress: 'none',
};

interface Batch {
  x: tf.Tensor3D;
  labels: tf.Tensor1D;
  classIndex: tf.Tensor1D;
  /** TGS pseudo-labels and which rows (abnormal videos with a peak) they apply to; absent before TGS starts. */
  pseudo?: tf.Tensor2D;
  pseudoRows?: tf.Tensor1D;
}

export interface TrainOutcome {
  /** Validation AUC after every epoch. */
  validationAuc: number[];
  bestEpoch: number;
  bestValidationAuc: number;
  /** Weights of the best validation epoch (the caller owns them). */
  bestWeights: Record<string, tf.Tensor>;
  /** Wall seconds per epoch of optimisation (validation excluded). */
  secondsPerEpoch: number;
  steps: number;
  finalLoss: number | null;
}

/**
 * Trains one model on video labels only (plus the class label for the class-aware methods): top-k MIL on the
 * final score, the memory losses, the class-masked expert losses and, after the warm-up, TGS's dense BCE
 * against pseudo-labels computed from the model's own detached scores at the start of each step. Checkpoint
 * selection is on `validation` (snippet AUC after every epoch); the model is left at its *final* weights and
 * the best ones are returned, so both can be reported.
 */
export async function trainAnomalyModel(model: AnomalyModel, data: VideoDataset, validation: VideoDataset, settings: TrainSettings): Promise<TrainOutcome> {
  const spec = METHODS[model.method];
  const { segments, videosPerKind } = settings;
  const dim = model.config.inputDim;
  if (data.dim !== dim) throw new RangeError(`training data: feature dimension ${data.dim}, the model expects ${dim}`);
  const resampled = data.videos.map((v) => resampleSegments(v, segments));
  const normal = data.videos.map((v, i) => (v.label === 0 ? i : -1)).filter((i) => i >= 0);
  const abnormal = data.videos.map((v, i) => (v.label === 1 ? i : -1)).filter((i) => i >= 0);
  if (normal.length === 0 || abnormal.length === 0) throw new RangeError(`training data: needs normal and anomalous videos, got ${normal.length} normal and ${abnormal.length} anomalous`);
  const stepsPerEpoch = Math.ceil(abnormal.length / videosPerKind);
  const tgsFromEpoch = Math.round(settings.tgsWarmup * settings.epochs);
  const k = milK(segments);

  const makeBatch = async (ids: number[], withTgs: boolean): Promise<Batch> => {
    const x = new Float32Array(ids.length * segments * dim);
    ids.forEach((id, i) => x.set(resampled[id], i * segments * dim));
    const batch: Batch = {
      x: tf.tensor3d(x, [ids.length, segments, dim]),
      labels: tf.tensor1d(ids.map((id) => data.videos[id].label), 'float32'),
      classIndex: tf.tensor1d(ids.map((id) => data.videos[id].classIndex), 'int32'),
    };
    if (withTgs) {
      const out = model.apply(batch.x);
      const scores = await out.score.data();
      disposeOutput(out);
      const pseudo = new Float32Array(ids.length * segments);
      const rows = new Float32Array(ids.length);
      ids.forEach((id, i) => {
        if (data.videos[id].label !== 1) return;
        const y = tgsPseudoLabels(scores.subarray(i * segments, (i + 1) * segments), settings.tgs);
        if (y.some((v) => v > 0)) rows[i] = 1;
        pseudo.set(y, i * segments);
      });
      batch.pseudo = tf.tensor2d(pseudo, [ids.length, segments]);
      batch.pseudoRows = tf.tensor1d(rows);
    }
    return batch;
  };

  async function* epochBatches({ epoch, rng }: { epoch: number; rng: Rng }): AsyncGenerator<Batch> {
    const a = shuffleInPlace([...abnormal], rng);
    const n = shuffleInPlace([...normal], rng);
    for (let s = 0; s < stepsPerEpoch; s++) {
      const ids = [...a.slice(s * videosPerKind, (s + 1) * videosPerKind)];
      for (let j = 0; j < videosPerKind; j++) ids.push(n[(s * videosPerKind + j) % n.length]);
      yield await makeBatch(ids, spec.tgs && epoch >= tgsFromEpoch);
    }
  }

  const lossFn = (batch: Batch): tf.Scalar => {
    const out = model.apply(batch.x);
    const w = settings.weights;
    let loss = topkMilLoss(out.score, batch.labels, k);
    if (out.abnormalMatch && out.normalMatch) loss = tf.add(loss, tf.mul(w.memory, memoryLoss(out.abnormalMatch, out.normalMatch, batch.labels, k)));
    if (spec.classLabels && out.expertScores) loss = tf.add(loss, tf.mul(w.experts, classExpertLoss(out.expertScores, batch.classIndex, k)));
    if (batch.pseudo && batch.pseudoRows) {
      loss = tf.add(loss, tf.mul(w.tgs, denseBceLoss(out.score, batch.pseudo, batch.pseudoRows)));
      if (out.expertScores) {
        // Expert c also fits the pseudo-labels of its own class's videos (the rows of other classes are masked).
        const c = out.expertScores.shape[2];
        const classOneHot = tf.slice(tf.cast(tf.oneHot(tf.cast(batch.classIndex, 'int32'), c + 1), 'float32'), [0, 1], [-1, c]);
        const own = tf.mul(classOneHot, tf.expandDims(batch.pseudoRows, 1)); // [B, C]: the video's class, when it has pseudo-labels
        for (let e = 0; e < c; e++) {
          const scoresE = tf.reshape(tf.slice(out.expertScores, [0, 0, e], [-1, -1, 1]), out.score.shape) as tf.Tensor2D;
          loss = tf.add(loss, tf.mul(w.tgs / c, denseBceLoss(scoresE, batch.pseudo, tf.reshape(tf.slice(own, [0, e], [-1, 1]), [-1]) as tf.Tensor1D)));
        }
      }
    }
    disposeOutput(out);
    return loss as tf.Scalar;
  };

  const validationAuc: number[] = [];
  let best: { epoch: number; auc: number; weights: Record<string, tf.Tensor> } | null = null;
  let validationMs = 0;
  const onProgress = (event: TrainEvent): void => {
    if (event.type !== 'validation') return;
    if (best === null || event.value > best.auc) {
      if (best) tf.dispose(Object.values(best.weights));
      best = { epoch: event.epoch, auc: event.value, weights: model.getWeights() };
    }
  };
  const optimizer = tf.train.adam(settings.learningRate);
  const result = await train<Batch>({
    model,
    lossFn,
    data: epochBatches,
    optimizer,
    epochs: settings.epochs,
    seed: settings.seed,
    clipNorm: 5,
    progress: settings.progress ?? 'none',
    onProgress,
    validation: {
      metric: 'val_auc',
      mode: 'max',
      restoreBestWeights: false,
      evaluate: async () => {
        const t0 = performance.now();
        const metrics: AnomalyMetrics = await evaluateModel(model, validation);
        validationMs += performance.now() - t0;
        validationAuc.push(metrics.auc);
        return metrics.auc;
      },
    },
  }).finally(() => optimizer.dispose());
  const chosen = best as { epoch: number; auc: number; weights: Record<string, tf.Tensor> } | null;
  if (chosen === null) throw new Error('training ran no validation');
  return {
    validationAuc,
    bestEpoch: chosen.epoch,
    bestValidationAuc: chosen.auc,
    bestWeights: chosen.weights,
    secondsPerEpoch: (result.elapsedMs - validationMs) / 1000 / Math.max(1, result.epochs),
    steps: result.steps,
    finalLoss: result.losses.at(-1) ?? null,
  };
}

import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type EncodedBatch } from '../features/encoded-batch.js';
import { disposeInputs, type CtrModel } from '../model/ctr-model.js';
import type { ForwardContext } from '../model/forward-context.js';
import { applyStateUpdates } from '../model/layers/batch-norm.js';
import type { SparseOptimizerOptions } from '../model/sparse-embedding.js';
import { logloss } from '../eval/metrics.js';
import { Rng } from '../util/rng.js';
import { labelTensors, multiTaskLoss } from './loss.js';
import { predict } from './predict.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Dense parameters (Adam). */
  learningRate: number;
  /** Embedding rows (row-sparse optimizer); defaults to `learningRate`. */
  embeddingLearningRate?: number;
  embeddingOptimizer?: 'adam' | 'adagrad';
  /** Batch-order seed. */
  seed: number;
  /** Early stopping on the validation logloss of the first task; the best epoch's weights are kept. */
  validation?: EncodedBatch;
  patience?: number;
  onStep?: (e: { epoch: number; step: number; steps: number; loss: number }) => void;
  onEpoch?: (e: EpochReport) => void;
}

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  validLogloss?: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainResult {
  epochs: EpochReport[];
  bestEpoch: number;
  /** Mean seconds per epoch (training passes only, validation excluded). */
  secondsPerEpoch: number;
  samplesPerSecond: number;
}

/** A model's full mutable state (dense variables and the embedding table), for best-epoch restore. */
function snapshot(model: CtrModel): { weights: Record<string, tf.Tensor>; table: Float32Array } {
  return { weights: model.getWeights(), table: model.table.data.slice() };
}

/** One optimizer step on one mini-batch; returns the loss. */
export async function trainStep(model: CtrModel, batch: EncodedBatch, optimizer: tf.Optimizer, sparse: SparseOptimizerOptions): Promise<number> {
  const { inputs, gathered } = model.prepareInputs(batch);
  const { y, mask } = labelTensors(batch.labels, batch.size);
  const ctx: ForwardContext = { training: true, stateUpdates: [] };
  try {
    inputs.plan = await model.plan(inputs, true);
    const leaves: tf.Tensor[] = [inputs.fields, ...(inputs.seq ? [inputs.seq] : [])];
    const vars = model.trainableVariables();
    const { value, grads } = tf.tidy(() => tf.valueAndGrads((..._xs: tf.Tensor[]) => multiTaskLoss(model.forward(inputs, ctx), y, mask, model.layout.tasks))([...leaves, ...vars]));
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => (named[v.name] = grads[leaves.length + i]));
    optimizer.applyGradients(named);
    const dFields = await grads[0].data();
    const dSeq = inputs.seq ? await grads[1].data() : new Float32Array(0);
    model.table.step(gathered, dFields, dSeq, sparse);
    applyStateUpdates(ctx);
    const loss = (await value.data())[0];
    tf.dispose([value, ...grads]);
    return loss;
  } finally {
    for (const u of ctx.stateUpdates) u.value.dispose();
    disposeInputs(inputs);
    tf.dispose([y, mask]);
  }
}

/** Mini-batch training with shuffled batches, per-epoch validation and best-epoch restore. */
export async function trainModel(model: CtrModel, train: EncodedBatch, options: TrainOptions): Promise<TrainResult> {
  if (train.size === 0) throw new Error('trainModel: the training split is empty');
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error(`trainModel: batchSize expected a positive integer, got ${options.batchSize}`);
  const optimizer = tf.train.adam(options.learningRate);
  const sparse: SparseOptimizerOptions = { kind: options.embeddingOptimizer ?? 'adam', learningRate: options.embeddingLearningRate ?? options.learningRate };
  const rng = new Rng(options.seed);
  const order = Int32Array.from({ length: train.size }, (_, i) => i);
  const steps = Math.ceil(train.size / options.batchSize);
  const epochs: EpochReport[] = [];
  let best: ReturnType<typeof snapshot> | undefined;
  let bestLoss = Infinity;
  let bestEpoch = -1;
  let sinceBest = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(order);
      const t0 = performance.now();
      let lossSum = 0;
      for (let s = 0; s < steps; s++) {
        const rows = order.subarray(s * options.batchSize, Math.min(train.size, (s + 1) * options.batchSize));
        const loss = await trainStep(model, selectRows(train, rows), optimizer, sparse);
        if (!Number.isFinite(loss)) throw new Error(`trainModel: loss became ${loss} at epoch ${epoch}, step ${s} (lower the learning rate)`);
        lossSum += loss;
        options.onStep?.({ epoch, step: s, steps, loss });
      }
      const seconds = (performance.now() - t0) / 1000;
      const report: EpochReport = { epoch, trainLoss: lossSum / steps, seconds, samplesPerSecond: train.size / seconds };
      if (options.validation) {
        const pred = await predict(model, options.validation);
        report.validLogloss = logloss(pred.probs[0], options.validation.labels[0]);
        if (report.validLogloss < bestLoss) {
          bestLoss = report.validLogloss;
          bestEpoch = epoch;
          sinceBest = 0;
          if (best) tf.dispose(Object.values(best.weights));
          best = epoch < options.epochs - 1 ? snapshot(model) : undefined;
        } else {
          sinceBest++;
        }
      }
      epochs.push(report);
      options.onEpoch?.(report);
      if (options.validation && sinceBest >= (options.patience ?? 2)) break;
    }
    // Restore the best epoch when training went past it.
    if (best && bestEpoch !== epochs.length - 1) {
      model.setWeights(best.weights);
      model.table.load(best.table);
    }
  } finally {
    if (best) tf.dispose(Object.values(best.weights));
    optimizer.dispose();
  }
  const secondsPerEpoch = epochs.reduce((a, e) => a + e.seconds, 0) / epochs.length;
  return { epochs, bestEpoch: options.validation ? bestEpoch : epochs.length - 1, secondsPerEpoch, samplesPerSecond: train.size / secondsPerEpoch };
}

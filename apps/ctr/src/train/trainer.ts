import * as tf from '@tensorflow/tfjs-core';
import { applyStateUpdates, discardStateUpdates, trainingContext } from '@moe/core';
import { selectRows, type EncodedBatch } from '../features/encoded-batch.js';
import { disposeInputs, type CtrModel } from '../model/ctr-model.js';
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
  /** Start each task's output at the training base rate (default true; off when fine-tuning). */
  initOutputPrior?: boolean;
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

/** Positive rate per task on labelled rows (a chained task's rate is conditional on its parent), clamped to (1e-4, 1 − 1e-4). */
export function priorRates(batch: EncodedBatch, tasks: readonly { chainOf: number }[]): number[] {
  const mean = (t: number, parentOnly: number) => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < batch.size; i++) {
      const y = batch.labels[t][i];
      if (Number.isNaN(y) || (parentOnly >= 0 && batch.labels[parentOnly][i] !== 1)) continue;
      s += y;
      n++;
    }
    return n ? s / n : 0.5;
  };
  return tasks.map((task, t) => Math.min(1 - 1e-4, Math.max(1e-4, mean(t, task.chainOf))));
}

/** One optimizer step on one mini-batch; returns the loss. */
export async function trainStep(model: CtrModel, batch: EncodedBatch, optimizer: tf.Optimizer, sparse: SparseOptimizerOptions): Promise<number> {
  const { inputs, gathered } = model.prepareInputs(batch);
  const { y, mask } = labelTensors(batch.labels, batch.size);
  const ctx = trainingContext();
  let fieldsLeaf: tf.Variable | undefined;
  let seqLeaf: tf.Variable | undefined;
  try {
    inputs.groups = model.route(inputs, true);
    // The embedding leaves become (temporary) variables so one variableGrads call differentiates them with the
    // model's variables; variableGrads also tolerates variables a batch never reaches (towers of absent domains).
    fieldsLeaf = tf.variable(inputs.fields, true);
    seqLeaf = inputs.seq ? tf.variable(inputs.seq, true) : undefined;
    const leafInputs = { ...inputs, fields: fieldsLeaf as tf.Tensor as tf.Tensor2D, seq: seqLeaf as tf.Tensor as tf.Tensor3D | undefined };
    const vars = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => multiTaskLoss(model.forward(leafInputs, ctx), y, mask, model.layout.tasks), [fieldsLeaf, ...(seqLeaf ? [seqLeaf] : []), ...vars]);
    const { [fieldsLeaf.name]: dFieldsT, ...rest } = grads;
    const dSeqT = seqLeaf ? rest[seqLeaf.name] : undefined;
    if (seqLeaf) delete rest[seqLeaf.name];
    // tfjs optimizers key their moment slots by position in this map, so every variable must appear in the
    // same order every step: variables the batch did not reach get a zero gradient.
    const zeros: tf.Tensor[] = [];
    const ordered: tf.NamedTensorMap = {};
    for (const v of vars) ordered[v.name] = rest[v.name] ?? zeros[zeros.push(tf.zerosLike(v)) - 1];
    optimizer.applyGradients(ordered);
    tf.dispose(zeros);
    const dFields = await dFieldsT.data();
    const dSeq = dSeqT ? await dSeqT.data() : new Float32Array(inputs.seq ? inputs.seq.size : 0);
    model.table.step(gathered, dFields, dSeq, sparse);
    applyStateUpdates(ctx);
    const loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  } finally {
    discardStateUpdates(ctx);
    fieldsLeaf?.dispose();
    seqLeaf?.dispose();
    disposeInputs(inputs);
    tf.dispose([y, mask]);
  }
}

/** Mini-batch training with shuffled batches, per-epoch validation and best-epoch restore. */
export async function trainModel(model: CtrModel, train: EncodedBatch, options: TrainOptions): Promise<TrainResult> {
  if (train.size === 0) throw new Error('trainModel: the training split is empty');
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error(`trainModel: batchSize expected a positive integer, got ${options.batchSize}`);
  if (options.initOutputPrior ?? true) model.setOutputPrior(priorRates(train, model.layout.tasks));
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

import * as tf from '@tensorflow/tfjs-core';
import { createRng, setOptimizerLearningRate, type Rng } from '@moe/runtime';
import { checkTileSet, gatherTiles, type TileSet } from '../data/tile-set.js';
import { evaluateSegmentation } from '../eval/evaluate.js';
import { SegmentationModel } from '../model/segmentation-model.js';
import { classMixMasks } from './class-mix.js';
import { EmaTeacher } from './ema-teacher.js';
import { pixelCrossEntropy } from './pixel-loss.js';

/** DG: train on labelled source only. DA: also self-train on unlabelled target tiles (DACS with an EMA teacher). */
export type AdaptationMode = 'dg' | 'da';

/** Options of {@link fineTune}; the defaults are the protocol the benchmark uses for every method. */
export interface FineTuneOptions {
  mode: AdaptationMode;
  steps: number;
  /** Tiles per step: DG all source; DA half source, half target (the paper's 2 + 2). */
  batchSize: number;
  learningRate: number;
  /** Validation (for checkpoint selection) every this many steps and at the last step. */
  evalEvery: number;
  seed: number;
  /** DA: first step (as a fraction of `steps`) with pseudo-labels (paper: 4k of 20k = 0.2). */
  pseudoLabelStart?: number;
  /** DA: weight of the mixed-image loss (paper 0.5). */
  mixWeight?: number;
  /** Random flips and quarter turns of the training tiles (default true). */
  augment?: boolean;
  /** Called after every step (and with `validation` after each validation). */
  onStep?: (event: FineTuneStep) => void;
}

export interface FineTuneStep {
  step: number;
  steps: number;
  loss: number;
  validationMiou?: number;
}

export interface FineTuneData {
  source: TileSet;
  /** DA only: target tiles whose labels are never read. */
  target?: TileSet;
  /** Labelled held-out split the best checkpoint is chosen on (never the test split). */
  validation: TileSet;
}

export interface FineTuneResult {
  history: Array<{ step: number; validationMiou: number }>;
  bestStep: number;
  bestValidationMiou: number;
  /** Trainable weights at the best validation step (host copies). */
  bestWeights: Map<string, Float32Array>;
  secondsPerStep: number;
}

function trainableSnapshot(model: SegmentationModel): Promise<Map<string, Float32Array>> {
  const trainable = new Set(model.trainableVariables());
  const entries = [...model.namedVariables()].filter(([, v]) => trainable.has(v));
  return Promise.all(entries.map(async ([name, v]) => [name, Float32Array.from(await v.data())] as const)).then((pairs) => new Map(pairs));
}

/** Assigns host weight copies (from {@link FineTuneResult.bestWeights}) back into the model. */
export function restoreWeights(model: SegmentationModel, weights: Map<string, Float32Array>): void {
  const vars = model.namedVariables();
  tf.tidy(() => {
    for (const [name, values] of weights) {
      const v = vars.get(name);
      if (!v) throw new Error(`restoreWeights: the model has no variable '${name}'`);
      v.assign(tf.tensor(values, v.shape));
    }
  });
}

function batchIndices(rng: Rng, count: number, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextInt(count));
}

/**
 * Fine-tunes `model` (its method decides what trains) with Adam and a poly(0.9) learning-rate decay, keeps
 * the weights of the best validation mIoU, and leaves the model at its final-step weights.
 */
export async function fineTune(model: SegmentationModel, data: FineTuneData, options: FineTuneOptions): Promise<FineTuneResult> {
  const owner = 'fineTune';
  checkTileSet(owner, 'data.source', data.source, true);
  checkTileSet(owner, 'data.validation', data.validation, true);
  if (options.mode !== 'dg' && options.mode !== 'da') throw new Error(`${owner}: options.mode must be 'dg' or 'da'; got ${JSON.stringify(options.mode)}`);
  if (options.mode === 'da') {
    if (!data.target) throw new Error(`${owner}: data.target (unlabelled target tiles) is required for mode 'da'`);
    checkTileSet(owner, 'data.target', data.target, false);
  }
  for (const key of ['steps', 'batchSize', 'evalEvery'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new Error(`${owner}: options.${key} must be a positive integer; got ${String(options[key])}`);
  }
  if (options.mode === 'da' && options.batchSize < 2) throw new Error(`${owner}: options.batchSize must be ≥ 2 for mode 'da' (half source, half target); got ${options.batchSize}`);
  if (!(options.learningRate > 0)) throw new Error(`${owner}: options.learningRate must be positive; got ${String(options.learningRate)}`);
  const s = model.tileSize;
  if (data.source.size !== s || data.validation.size !== s || (data.target && data.target.size !== s)) throw new Error(`${owner}: tiles must be ${s}×${s} (the backbone's input size)`);

  const rng = createRng(options.seed);
  const augment = options.augment ?? true;
  const variables = model.trainableVariables();
  const optimizer = tf.train.adam(options.learningRate);
  const teacher = options.mode === 'da' ? new EmaTeacher(new SegmentationModel(model.getConfig() as never), model) : undefined;
  const pseudoStart = Math.round((options.pseudoLabelStart ?? 0.2) * options.steps);
  const mixWeight = options.mixWeight ?? 0.5;
  const sourcePerStep = options.mode === 'da' ? Math.ceil(options.batchSize / 2) : options.batchSize;
  const targetPerStep = options.batchSize - sourcePerStep;
  const C = model.backbone.config.channels;
  const history: FineTuneResult['history'] = [];
  let best = { step: -1, miou: -Infinity, weights: new Map<string, Float32Array>() };
  let trainSeconds = 0;
  try {
    for (let step = 0; step < options.steps; step++) {
      setOptimizerLearningRate(optimizer, options.learningRate * Math.pow(1 - step / options.steps, 0.9));
      const transforms = (n: number) => Array.from({ length: n }, () => (augment ? rng.nextInt(8) : 0));
      const src = gatherTiles(data.source, batchIndices(rng, data.source.count, sourcePerStep), transforms(sourcePerStep));
      const withMix = teacher !== undefined && step >= pseudoStart;
      const mixMask = withMix ? classMixMasks(src.labels!, targetPerStep, s * s, rng) : undefined;
      const tgt = withMix ? gatherTiles(data.target!, batchIndices(rng, data.target!.count, targetPerStep), transforms(targetPerStep)) : undefined;
      const t0 = performance.now();
      const lossTensor = tf.tidy(() => {
        const xs = tf.tensor4d(src.images, [sourcePerStep, s, s, C]);
        const ys = tf.tensor3d(src.labels!, [sourcePerStep, s, s], 'int32');
        let xMix: tf.Tensor4D | undefined;
        let yMix: tf.Tensor3D | undefined;
        if (withMix && tgt && mixMask) {
          const xt = tf.tensor4d(tgt.images, [targetPerStep, s, s, C]);
          const pseudo = tf.cast(tf.argMax(teacher.teacher.apply(xt), 3), 'int32') as tf.Tensor3D;
          const m = tf.tensor3d(mixMask, [targetPerStep, s, s]);
          const xsMix = tf.slice(xs, [0, 0, 0, 0], [targetPerStep, s, s, C]);
          const ysMix = tf.slice(ys, [0, 0, 0], [targetPerStep, s, s]);
          const m4 = tf.expandDims(m, 3);
          xMix = tf.add(tf.mul(m4, xsMix), tf.mul(tf.sub(1, m4), xt)) as tf.Tensor4D;
          yMix = tf.where(tf.cast(m, 'bool'), ysMix, pseudo) as tf.Tensor3D;
        }
        return optimizer.minimize(() => {
          if (!xMix || !yMix) return pixelCrossEntropy(model.apply(xs), ys);
          // One forward over source + mixed tiles; the two losses are averaged over their own pixels.
          const logits = model.apply(tf.concat([xs, xMix]));
          const ls = pixelCrossEntropy(tf.slice(logits, [0, 0, 0, 0], [sourcePerStep, s, s, -1]), ys);
          const lm = pixelCrossEntropy(tf.slice(logits, [sourcePerStep, 0, 0, 0], [targetPerStep, s, s, -1]), yMix);
          return tf.add(ls, tf.mul(lm, mixWeight)) as tf.Scalar;
        }, true, variables) as tf.Scalar;
      });
      const loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      trainSeconds += (performance.now() - t0) / 1000;
      teacher?.update(step);
      if (!Number.isFinite(loss)) throw new Error(`${owner}: the loss became ${loss} at step ${step} (method ${model.method.kind}, learning rate ${options.learningRate})`);
      const last = step === options.steps - 1;
      let validationMiou: number | undefined;
      if ((step + 1) % options.evalEvery === 0 || last) {
        validationMiou = (await evaluateSegmentation(model, data.validation)).miou;
        history.push({ step: step + 1, validationMiou });
        if (validationMiou > best.miou) best = { step: step + 1, miou: validationMiou, weights: await trainableSnapshot(model) };
      }
      options.onStep?.({ step: step + 1, steps: options.steps, loss, ...(validationMiou !== undefined ? { validationMiou } : {}) });
    }
  } finally {
    optimizer.dispose();
    teacher?.teacher.dispose();
  }
  return { history, bestStep: best.step, bestValidationMiou: best.miou, bestWeights: best.weights, secondsPerStep: trainSeconds / options.steps };
}

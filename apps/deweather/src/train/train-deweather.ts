import * as tf from '@tensorflow/tfjs-core';
import { disposeRoutingStats } from '@moe/core';
import { childSeed, clipByGlobalNorm, getBackendSelection, setOptimizerLearningRate, warmupCosine, type TrainEvent } from '@moe/runtime';
import type { WeatherType } from '@moe/vision';
import type { CleanImage } from '../data/clean-images.js';
import { TrainPairSampler, toBatchTensor, type WeatherPair } from '../data/weather-pairs.js';
import { DeweatherNet } from '../model/deweather-net.js';
import type { DeweatherNetConfigInput } from '../model/deweather-net-config.js';
import { evaluatePairs } from '../eval/evaluate.js';

export interface TrainDeweatherOptions {
  model: DeweatherNetConfigInput;
  /** Clean training images (train split only). */
  trainImages: readonly CleanImage[];
  /** Fixed validation pairs (val split): checkpoint selection, never the test split. */
  valPairs: readonly WeatherPair[];
  /** Weather types drawn for training. */
  types: readonly WeatherType[];
  steps: number;
  batch: number;
  crop: number;
  learningRate: number;
  warmupSteps?: number;
  clipNorm?: number;
  /** Validate every this many steps (and at the end). */
  evalEvery: number;
  /** Seed of data order and weather draws (the model's init seed is model.seed). */
  seed: number;
  onEvent?: (event: TrainEvent) => void;
  signal?: AbortSignal;
}

export interface TrainDeweatherResult {
  /** The network with the best validation checkpoint's weights. */
  net: DeweatherNet;
  bestStep: number;
  bestValPsnr: number;
  /** Validation PSNR of the last step's weights (reported beside the selected one, vision.md §6 item 1). */
  finalValPsnr: number;
  losses: { step: number; loss: number }[];
  validation: { step: number; psnr: number }[];
  seconds: number;
  stopReason: 'completed' | 'aborted';
}

/** L1 loss (MoFME's pixel term; its VGG perceptual term needs ImageNet weights, unavailable offline) plus the MoE aux losses. */
export async function trainDeweather(options: TrainDeweatherOptions): Promise<TrainDeweatherResult> {
  const o = options;
  for (const [name, v, min] of [['steps', o.steps, 1], ['batch', o.batch, 1], ['crop', o.crop, 4], ['evalEvery', o.evalEvery, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`trainDeweather: ${name} must be an integer ≥ ${min}; got ${String(v)}`);
  }
  if (!(o.learningRate > 0)) throw new Error(`trainDeweather: learningRate must be > 0; got ${String(o.learningRate)}`);
  if (o.valPairs.length === 0) throw new Error('trainDeweather: valPairs must not be empty (checkpoints are chosen on validation)');
  const started = performance.now();
  const net = new DeweatherNet(o.model);
  const sampler = new TrainPairSampler(o.trainImages, o.crop, o.types, childSeed(o.seed, 'data'));
  const warmup = o.warmupSteps ?? Math.min(50, Math.floor(o.steps / 10));
  const schedule = warmupCosine({ peak: o.learningRate, warmupSteps: warmup, totalSteps: Math.max(o.steps, warmup + 1), minLearningRate: o.learningRate * 0.05 });
  const optimizer = tf.train.adam(o.learningRate);
  const vars = net.trainableVariables();
  const emit = (e: TrainEvent) => o.onEvent?.(e);
  emit({ type: 'start', totalSteps: o.steps, epochs: null, seed: o.seed, backend: getBackendSelection()?.backend ?? tf.getBackend(), parameters: net.countParams() });
  const losses: TrainDeweatherResult['losses'] = [];
  const validation: TrainDeweatherResult['validation'] = [];
  let best: { step: number; psnr: number; weights: Record<string, tf.Tensor> } | undefined;
  let finalValPsnr = Number.NaN;
  let stopReason: TrainDeweatherResult['stopReason'] = 'completed';
  let step = 0;
  try {
    for (; step < o.steps; step++) {
      if (o.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const lr = schedule(step);
      setOptimizerLearningRate(optimizer, lr);
      const pairs = sampler.batch(o.batch);
      const x = toBatchTensor(pairs.map((p) => p.degraded));
      const y = toBatchTensor(pairs.map((p) => p.clean));
      const stepSeed = childSeed(o.seed, `step${step}`);
      const { value, grads } = tf.variableGrads(() => {
        const f = net.apply(x, { training: true, seed: stepSeed });
        for (const s of f.stats) disposeRoutingStats(s);
        return tf.add(tf.mean(tf.abs(tf.sub(f.output, y))), f.aux) as tf.Scalar;
      }, vars);
      const clipped = clipByGlobalNorm(grads, o.clipNorm ?? 1);
      optimizer.applyGradients(clipped.grads as unknown as Parameters<typeof optimizer.applyGradients>[0]);
      const [loss, norm] = await Promise.all([value.data(), clipped.norm.data()]);
      tf.dispose([x, y, value, clipped.norm, ...Object.values(grads), ...Object.values(clipped.grads)]);
      if (!Number.isFinite(loss[0])) throw new Error(`trainDeweather: the loss became ${loss[0]} at step ${step} (learning rate ${lr}); lower learningRate`);
      losses.push({ step, loss: loss[0] });
      emit({ type: 'step', step, epoch: 0, loss: loss[0], gradNorm: norm[0], clipped: norm[0] > (o.clipNorm ?? 1), learningRate: lr, totalSteps: o.steps, elapsedMs: performance.now() - started });
      if ((step + 1) % o.evalEvery === 0 || step + 1 === o.steps) {
        const v = (await evaluatePairs(net, o.valPairs, { ssim: false })).all.psnr;
        validation.push({ step, psnr: v });
        finalValPsnr = v;
        const improved = !best || v > best.psnr;
        if (improved) {
          if (best) tf.dispose(Object.values(best.weights));
          best = { step, psnr: v, weights: net.getWeights() };
        }
        emit({ type: 'validation', step, epoch: 0, metric: 'val_psnr', value: v, best: best!.psnr, improved, waits: 0, patience: null });
      }
      // Let a server answer requests between steps (training runs on the same thread).
      await new Promise((r) => setImmediate(r));
    }
    if (best) net.setWeights(best.weights);
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    if (best) tf.dispose(Object.values(best.weights));
    optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  emit({ type: 'end', stopReason, steps: step, epochs: 0, finalLoss: losses.at(-1)?.loss ?? null, bestValue: best?.psnr ?? null, bestStep: best?.step ?? null, restoredBest: best !== undefined, elapsedMs: seconds * 1000 });
  return { net, bestStep: best?.step ?? -1, bestValPsnr: best?.psnr ?? Number.NaN, finalValPsnr, losses, validation, seconds, stopReason };
}

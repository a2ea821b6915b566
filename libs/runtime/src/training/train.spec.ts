import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectClose } from '@moe/testing';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRng } from '../seed/rng.js';
import { train, type TrainOptions } from './train.js';
import type { TrainEvent } from './train-events.js';
import type { Trainable } from './trainable.js';
import { TrainingError } from './training-error.js';

interface Batch { x: tf.Tensor2D; y: tf.Tensor2D }

/** A variable that takes over `initial` (tf.variable alone leaves the initial tensor alive). */
function variable(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

/** y = x·[2, -3, 0.5] + 1 with a little noise; 8 batches of 16, built from a seeded PRNG. */
function regressionBatches(seed = 1): Batch[] {
  const rng = createRng(seed);
  return Array.from({ length: 8 }, () => {
    const xs = Float32Array.from({ length: 16 * 3 }, () => rng.nextNormal());
    const ys = Float32Array.from({ length: 16 }, (_, i) => 2 * xs[3 * i] - 3 * xs[3 * i + 1] + 0.5 * xs[3 * i + 2] + 1 + 0.01 * rng.nextNormal());
    return { x: tf.tensor2d(xs, [16, 3]), y: tf.tensor2d(ys, [16, 1]) };
  });
}

/** A minimal Trainable with weight export/import, shaped like @moe/core's Module. */
class Linear implements Trainable {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  constructor(seed: number) {
    this.w = variable(tf.randomNormal([3, 1], 0, 0.1, 'float32', seed));
    this.b = variable(tf.zeros([1]));
  }
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.w), this.b);
  }
  loss(batch: Batch): tf.Scalar {
    return tf.mean(tf.square(tf.sub(this.forward(batch.x), batch.y)));
  }
  trainableVariables(): tf.Variable[] {
    return [this.w, this.b];
  }
  getWeights(): Record<string, tf.Tensor> {
    return { w: tf.clone(this.w), b: tf.clone(this.b) };
  }
  setWeights(weights: Record<string, tf.Tensor>): void {
    this.w.assign(weights.w);
    this.b.assign(weights.b);
  }
  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}

function disposeAll(batches: Batch[]): void {
  for (const b of batches) tf.dispose([b.x, b.y]);
}

async function fit(seed: number, overrides: Partial<TrainOptions<Batch>> = {}): Promise<{ losses: number[]; w: number[] }> {
  const model = new Linear(7);
  const data = regressionBatches();
  const optimizer = tf.train.adam(0.05);
  try {
    const result = await train({ model, data, optimizer, epochs: 3, lossFn: (b) => model.loss(b), seed, progress: 'none', ...overrides });
    return { losses: result.losses, w: Array.from(await model.w.data()) };
  } finally {
    model.dispose();
    optimizer.dispose();
    disposeAll(data);
  }
}

describeEachBackend('train', () => {
  it('fits a linear model (Adam, warm-up + cosine, clipping) with no tensor left behind', async () => {
    const before = tf.memory().numTensors;
    const model = new Linear(3);
    const data = regressionBatches();
    const optimizer = tf.train.adam();
    const events: TrainEvent[] = [];
    const result = await train({
      model, data, optimizer, epochs: 16, seed: 1, progress: 'none', onProgress: (e) => events.push(e),
      lossFn: (b) => model.loss(b), learningRate: { peak: 0.2, warmupSteps: 8 }, clipNorm: 5,
    });
    expect(result).toMatchObject({ stopReason: 'completed', steps: 128, epochs: 16 });
    expect(result.losses[0]).toBeGreaterThan(1);
    expect(result.losses.at(-1)).toBeLessThan(0.01);
    await expectClose(model.w, [2, -3, 0.5], { atol: 0.05 });
    await expectClose(model.b, [1], { atol: 0.05 });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(16);
    expect(events[0]).toMatchObject({ type: 'start', totalSteps: 128, parameters: 4, backend: tf.getBackend() });
    model.dispose();
    optimizer.dispose();
    disposeAll(data);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('train (cpu)', () => {
  it('is deterministic: the same seed gives the identical loss curve, another seed a different data order', async () => {
    await tf.setBackend('cpu');
    const a = await fit(11);
    const b = await fit(11);
    const c = await fit(12);
    expect(b.losses).toEqual(a.losses);
    expect(b.w).toEqual(a.w);
    expect(c.losses).not.toEqual(a.losses);
    expect(a.losses).toHaveLength(24);
  });

  it('drives the optimizer learning rate from the schedule, for SGD (cached scalar) and Adam (field)', async () => {
    await tf.setBackend('cpu');
    const schedule = (step: number): number => 0.1 * (step + 1);
    for (const make of [() => tf.train.sgd(1), () => tf.train.adam(1)]) {
      const w = variable(tf.zeros([2]));
      const optimizer = make();
      const lrs: (number | null)[] = [];
      // d(sum w)/dw = 1 everywhere: SGD moves by exactly -lr, Adam by -lr·m̂/(√v̂+ε) = -lr·1/(1+ε).
      await train({ variables: [w], data: [0], steps: 4, optimizer, lossFn: () => tf.sum(w), learningRate: schedule, progress: 'none', onProgress: (e) => e.type === 'step' && lrs.push(e.learningRate) });
      expect(lrs).toEqual([0.1, 0.2, 0.30000000000000004, 0.4]);
      await expectClose(w, [-1, -1], { atol: 1e-5 });
      w.dispose();
      optimizer.dispose();
    }
  });

  it('clips by global norm before the update and reports the unclipped norm', async () => {
    await tf.setBackend('cpu');
    const w = variable(tf.zeros([2]));
    const c = tf.tensor([30, 40]); // gradient norm 50
    const optimizer = tf.train.sgd(0.1);
    const steps: TrainEvent[] = [];
    await train({ variables: [w], data: [0], steps: 1, optimizer, lossFn: () => tf.sum(tf.mul(w, c)), clipNorm: 1, progress: 'none', onProgress: (e) => e.type === 'step' && steps.push(e) });
    expect(steps[0]).toMatchObject({ gradNorm: 50, clipped: true });
    await expectClose(w, [-0.06, -0.08], { atol: 1e-7 });
    tf.dispose([w, c]);
    optimizer.dispose();
  });

  it('stops early when validation stops improving and restores the best weights', async () => {
    await tf.setBackend('cpu');
    const model = new Linear(1);
    const start = Array.from(await model.b.data())[0];
    const optimizer = tf.train.sgd(0.5);
    const metric = [5, 4, 3, 3.5, 3.75, 4, 4.5, 5];
    const result = await train({
      model, data: [0, 1, 2], epochs: 10, optimizer, progress: 'none',
      lossFn: () => tf.sum(model.b), // d/db = 1: b drops by exactly 0.5 a step
      validation: { evaluate: ({ step }) => tf.scalar(metric[step]), everySteps: 1, patience: 2 },
    });
    expect(result).toMatchObject({ stopReason: 'early_stopping', steps: 5, bestValue: 3, bestStep: 2, restoredBest: true });
    expect(result.validation.map((v) => v.value)).toEqual([5, 4, 3, 3.5, 3.75]);
    // Weights as they were after step 2 (three updates), not after step 4.
    await expectClose(model.b, [start - 1.5]);
    model.dispose();
    optimizer.dispose();
  });

  it('validates per epoch by default, restores via plain variables too, and can keep the last weights', async () => {
    await tf.setBackend('cpu');
    for (const restoreBestWeights of [true, false]) {
      const v = variable(tf.zeros([1]));
      const optimizer = tf.train.sgd(1);
      const values = [2, 1, 3, 4];
      const result = await train({ variables: [v], data: [0, 1], epochs: 4, optimizer, progress: 'none', lossFn: () => tf.sum(v), validation: { evaluate: ({ epoch }) => values[epoch], restoreBestWeights } });
      expect(result.validation.map((x) => x.step)).toEqual([1, 3, 5, 7]);
      expect(result.restoredBest).toBe(restoreBestWeights);
      await expectClose(v, [restoreBestWeights ? -4 : -8]);
      v.dispose();
      optimizer.dispose();
    }
  });

  it('owns and disposes batches from a data function, closes a generator cut short, and reshuffles arrays', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const w = variable(tf.zeros([2]));
    const optimizer = tf.train.sgd(0.01);
    let closed = 0;
    const result = await train({
      variables: [w], optimizer, steps: 5, progress: 'none',
      data: function* ({ epoch, rng }) {
        try {
          for (let i = 0; i < 3; i++) yield { x: tf.fill([2], epoch * 10 + i + rng.next()) };
        } finally {
          closed++;
        }
      },
      lossFn: (b: { x: tf.Tensor }) => tf.sum(tf.mul(w, b.x)),
    });
    expect(result).toMatchObject({ steps: 5, epochs: 2 });
    expect(closed).toBe(2);
    tf.dispose(w);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const order = async (seed: number, shuffle?: boolean): Promise<number[]> => {
      const out: number[] = [];
      const v = variable(tf.zeros([1]));
      const opt = tf.train.sgd(0.01);
      await train({ variables: [v], optimizer: opt, data: [0, 1, 2, 3, 4, 5, 6, 7], epochs: 2, seed, shuffle, progress: 'none', lossFn: (b) => { out.push(b); return tf.sum(v); } });
      v.dispose();
      opt.dispose();
      return out;
    };
    const first = await order(3);
    expect(await order(3)).toEqual(first);
    expect(first.slice(0, 8)).not.toEqual(first.slice(8));
    expect(await order(3, false)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('awaits an async onProgress before the next step (e.g. to checkpoint at an epoch end)', async () => {
    await tf.setBackend('cpu');
    const w = variable(tf.zeros([1]));
    const optimizer = tf.train.sgd(0.1);
    const seenAtEpochEnd: number[] = [];
    await train({
      variables: [w], data: [0, 1], epochs: 3, optimizer, lossFn: () => tf.sum(w), progress: 'none',
      onProgress: async (e) => {
        if (e.type !== 'epoch') return;
        await new Promise((resolve) => setTimeout(resolve, 5));
        seenAtEpochEnd.push((await w.data())[0]); // no step ran while this callback was waiting
      },
    });
    await expectClose(seenAtEpochEnd, [-0.2, -0.4, -0.6]);
    w.dispose();
    optimizer.dispose();
  });

  it('writes JSON progress lines when its stream is not a TTY, thinned by everySteps', async () => {
    await tf.setBackend('cpu');
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
    const w = variable(tf.zeros([1]));
    const optimizer = tf.train.sgd(0.1);
    await train({ variables: [w], data: [0, 1, 2], epochs: 2, optimizer, lossFn: () => tf.sum(w), progress: { stream, everySteps: 4 } });
    const events = lines.map((l) => JSON.parse(l) as TrainEvent);
    expect(events.map((e) => (e.type === 'step' ? `step${e.step}` : e.type))).toEqual(['start', 'epoch', 'step3', 'step5', 'epoch', 'end']);
    expect(events.at(-1)).toMatchObject({ type: 'end', stopReason: 'completed', steps: 6, finalLoss: -0.5 });
    w.dispose();
    optimizer.dispose();
  });

  it('fails naming the step when a step leaks tensors', async () => {
    await tf.setBackend('cpu');
    const w = variable(tf.ones([2]));
    const optimizer = tf.train.adam(0.1);
    const cache: tf.Tensor[] = [];
    const error = await train({
      variables: [w], data: [0], steps: 5, optimizer, progress: 'none',
      lossFn: (_b, { step }) => {
        if (step === 2) cache.push(tf.keep(tf.mul(w, 2))); // the classic leak: a tensor kept out of the tape's tidy
        return tf.sum(tf.square(w));
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect(error).toMatchObject({ code: 'tensor_leak', step: 2, message: expect.stringMatching(/^step 2: the training step \(lossFn \+ gradients \+ update\) leaked 1 tensor\(s\)/) });
    tf.dispose([w, ...cache]);
    optimizer.dispose();
  });

  it('stops on a non-finite loss, on abort, and rejects bad options naming them', async () => {
    await tf.setBackend('cpu');
    const w = variable(tf.tensor([-1]));
    const optimizer = tf.train.sgd(0.1);
    const base = { variables: [w], data: [0], optimizer, progress: 'none' as const, lossFn: () => tf.sum(tf.square(w)) };
    await expect(train({ ...base, steps: 3, lossFn: (_b, { step }) => tf.sum(tf.mul(w, step === 1 ? NaN : 1)) })).rejects.toMatchObject({ code: 'non_finite_loss', step: 1, message: expect.stringMatching(/^step 1: loss is NaN, gradient norm NaN; the update was skipped/) });
    await expectClose(w, [-1.1]); // step 0's update only: the NaN step never reached the weights
    const reset = tf.tensor([-1]);
    w.assign(reset);
    reset.dispose();

    const controller = new AbortController();
    const aborted = await train({ ...base, steps: 10, signal: controller.signal, onProgress: (e) => { if (e.type === 'step' && e.step === 2) controller.abort(); } });
    expect(aborted).toMatchObject({ stopReason: 'aborted', steps: 3 });

    const bad = (o: Partial<TrainOptions<number>>) => train({ ...base, steps: 1, ...o }).then(() => 'ok', (e: TrainingError) => `${e.code}: ${e.message}`);
    expect(await bad({ steps: undefined })).toBe('invalid_argument: one of steps or epochs is required');
    expect(await bad({ steps: 0 })).toBe('invalid_argument: steps must be a positive integer, got 0');
    expect(await bad({ model: { trainableVariables: () => [w] } })).toBe('invalid_argument: exactly one of model or variables is required, got both');
    expect(await bad({ variables: [] })).toBe('invalid_argument: variables must be a non-empty array of tf.Variable, got an empty array');
    expect(await bad({ clipNorm: -1 })).toBe('invalid_argument: clipNorm must be a positive number, got -1');
    expect(await bad({ lossFn: () => tf.mul(w, 1) })).toBe('invalid_argument: lossFn must return a scalar tf.Tensor, got a tensor of shape [1]');
    expect(await bad({ data: [], epochs: 1, steps: undefined })).toBe('empty_data: epoch 0 produced no batches');
    expect(await bad({ data: () => [], epochs: 1, steps: undefined, learningRate: { peak: 1, warmupSteps: 1 } })).toMatch(/^invalid_argument: learningRate.totalSteps is required/);
    expect(await bad({ lossFn: () => { throw new Error('boom'); } })).toBe('step_failed: step 0: computing the loss or its gradients failed: boom');
    w.dispose();
    optimizer.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { EarlyStopping } from './early-stopping.js';
import { resolveSchedule, warmupCosine } from './learning-rate-schedule.js';
import { createProgressReporter } from './progress-reporter.js';
import type { TrainEvent } from './train-events.js';

describe('warmupCosine', () => {
  it('rises linearly to the peak, then follows a half cosine to the floor and stays there', () => {
    const lr = warmupCosine({ peak: 1, warmupSteps: 4, totalSteps: 14, minLearningRate: 0.1 });
    expect([0, 1, 2, 3].map(lr)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(lr(4)).toBeCloseTo(1, 12);
    expect(lr(9)).toBeCloseTo(0.55, 12); // halfway through the decay: (1 + 0.1) / 2
    expect(lr(14)).toBeCloseTo(0.1, 12);
    expect(lr(100)).toBeCloseTo(0.1, 12);
    for (let s = 4; s < 14; s++) expect(lr(s + 1)).toBeLessThan(lr(s));
    expect(warmupCosine({ peak: 2, warmupSteps: 0, totalSteps: 10 })(0)).toBe(2);
  });

  it('names the bad field', () => {
    expect(() => warmupCosine({ peak: 0, warmupSteps: 1, totalSteps: 5 })).toThrow('learningRate.peak must be a positive number, got 0');
    expect(() => warmupCosine({ peak: 1, warmupSteps: 5, totalSteps: 5 })).toThrow('learningRate.totalSteps must be an integer greater than warmupSteps (5), got 5');
    expect(() => warmupCosine({ peak: 1, warmupSteps: 1.5, totalSteps: 5 })).toThrow('learningRate.warmupSteps must be a non-negative integer, got 1.5');
    expect(() => resolveSchedule({ peak: 1, warmupSteps: 2 }, undefined)).toThrow(/learningRate.totalSteps is required/);
    expect(resolveSchedule({ peak: 1, warmupSteps: 2 }, 10)(1)).toBe(1);
    expect(() => resolveSchedule(-1, 10)).toThrow('learningRate must be a positive number, got -1');
  });
});

describeEachBackend('clipByGlobalNorm', () => {
  it('scales all gradients together to the global norm limit and leaves small ones unchanged', async () => {
    await expectNoLeaks(async () => {
      const grads = { a: tf.tensor([3, 0]), b: tf.tensor([[0, 4]]) }; // global norm 5
      const clipped = tf.tidy(() => clipByGlobalNorm(grads, 1));
      await expectClose(clipped.norm, [5]);
      await expectClose(clipped.grads.a, [0.6, 0]);
      await expectClose(clipped.grads.b, [0, 0.8]);
      const loose = tf.tidy(() => clipByGlobalNorm(grads, 10));
      await expectClose(loose.grads.a, [3, 0]);
      await expectClose(loose.grads.b, [0, 4]);
      [clipped.norm, loose.norm, ...Object.values(clipped.grads), ...Object.values(loose.grads), grads.a, grads.b].forEach((t) => t.dispose());
    });
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` evaluations without an improvement larger than minDelta', () => {
    const es = new EarlyStopping({ mode: 'min', patience: 2, minDelta: 0.01 });
    const seq = [5, 4, 3.995, 3.5, 3.6, 3.7].map((v) => es.update(v));
    expect(seq.map((u) => [u.improved, u.waits, u.stop])).toEqual([
      [true, 0, false], [true, 0, false], [false, 1, false], [true, 0, false], [false, 1, false], [false, 2, true],
    ]);
    expect(es.best).toBe(3.5);
  });

  it('maximises in max mode, never counts NaN as an improvement, and never stops with infinite patience', () => {
    const es = new EarlyStopping({ mode: 'max', patience: Infinity, minDelta: 0 });
    expect([0.5, 0.7, NaN, 0.6].map((v) => es.update(v).improved)).toEqual([true, true, false, false]);
    expect(es.update(0).stop).toBe(false);
    expect(() => new EarlyStopping({ mode: 'min', patience: -1, minDelta: 0 })).toThrow('validation.patience must be a non-negative integer or Infinity, got -1');
  });
});

function capture(isTTY: boolean): { stream: Writable & { isTTY: boolean; columns: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }), { isTTY, columns: 100 });
  return { stream, text: () => chunks.join('') };
}

const EVENTS: TrainEvent[] = [
  { type: 'start', totalSteps: 3, epochs: 1, seed: 1, backend: 'cpu', parameters: 10 },
  { type: 'step', step: 0, epoch: 0, loss: 1.5, gradNorm: 2, clipped: false, learningRate: 0.01, totalSteps: 3, elapsedMs: 10 },
  { type: 'step', step: 1, epoch: 0, loss: 1.2, gradNorm: 2, clipped: false, learningRate: 0.01, totalSteps: 3, elapsedMs: 20 },
  { type: 'step', step: 2, epoch: 0, loss: 1.0, gradNorm: 2, clipped: false, learningRate: 0.01, totalSteps: 3, elapsedMs: 30 },
  { type: 'validation', step: 2, epoch: 0, metric: 'val_loss', value: 0.9, best: 0.9, improved: true, waits: 0, patience: 3 },
  { type: 'epoch', epoch: 0, steps: 3, meanLoss: 1.23, elapsedMs: 30 },
  { type: 'end', stopReason: 'completed', steps: 3, epochs: 1, finalLoss: 1, bestValue: 0.9, bestStep: 2, restoredBest: false, elapsedMs: 31 },
];

describe('createProgressReporter', () => {
  it('auto writes one JSON object per line when the stream is not a TTY', () => {
    const out = capture(false);
    const report = createProgressReporter({ stream: out.stream });
    EVENTS.forEach(report);
    const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as TrainEvent & { time: string });
    expect(lines.map((l) => l.type)).toEqual(['start', 'step', 'step', 'step', 'validation', 'epoch', 'end']);
    expect(lines[1]).toMatchObject({ step: 0, loss: 1.5, learningRate: 0.01, time: expect.stringMatching(/^\d{4}-/) });
  });

  it('json mode can thin step events but always keeps the last step', () => {
    const out = capture(false);
    const report = createProgressReporter({ stream: out.stream, mode: 'json', everySteps: 2 });
    EVENTS.forEach(report);
    const steps = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as TrainEvent).filter((e) => e.type === 'step');
    expect(steps.map((e) => (e as { step: number }).step)).toEqual([1, 2]);
  });

  it('auto draws a progress bar on a TTY', () => {
    const out = capture(true);
    const report = createProgressReporter({ stream: out.stream, redrawMs: 0 });
    EVENTS.forEach(report);
    const text = out.text();
    expect(text).toMatch(/training on cpu: 10 parameters, 3 steps, seed 1\n/);
    expect(text).toMatch(/\[#+-*\] 1\/3 loss 1\.500 lr 1\.00e-2 \d+\.\d it\/s eta/);
    expect(text).toMatch(/\r\x1b\[2K\[#+\] 3\/3 loss 1\.000/);
    expect(text).toMatch(/step 3: val_loss 0\.90000 \(best\)\n/);
    expect(text).toMatch(/done \(completed\) after 3 steps in 0\.0s; best 0\.90000 at step 3\n$/);
    expect(text).not.toMatch(/^\{/m);
  });

  it('none writes nothing; an unknown mode is an error', () => {
    const out = capture(true);
    EVENTS.forEach(createProgressReporter({ stream: out.stream, mode: 'none' }));
    expect(out.text()).toBe('');
    expect(() => createProgressReporter({ mode: 'fancy' as 'bar' })).toThrow('createProgressReporter: options.mode must be one of auto, bar, json, none; got "fancy"');
    expect(() => createProgressReporter({ mode: 'json', everySteps: 0 })).toThrow('createProgressReporter: options.everySteps must be a positive integer, got 0');
    expect(() => createProgressReporter({ mode: 'bar', redrawMs: -1 })).toThrow('createProgressReporter: options.redrawMs must be a non-negative number, got -1');
  });
});

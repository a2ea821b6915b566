import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { expectNoLeaks, useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { prepareSynthetic } from '../experiment/synthetic-split.js';
import { createModel } from '../model/create-model.js';
import { auc, logloss } from '../eval/metrics.js';
import { predict } from './predict.js';
import { trainModel } from './trainer.js';

describe('training loop', () => {
  beforeAll(async () => useBackend('wasm'));
  const data = generateSynthetic({ rows: 5000, seed: 4, numDomains: 3, numUsers: 80, numItems: 60, numCategories: 8, baseCtr: [0.3, 0.15] });
  const splits = prepareSynthetic(data);

  it('a model beats the constant predictor after a short training run, without leaking tensors', async () => {
    const model = createModel(splits.processor.layout, { kind: 'shared-bottom', hidden: [32, 16], tower: [8], seed: 1 });
    const result = await expectNoLeaks(() => trainModel(model, splits.train, { epochs: 3, batchSize: 256, learningRate: 3e-3, embeddingLearningRate: 2e-2, seed: 1, validation: splits.valid }), 'trainModel');
    expect(result.epochs.length).toBeGreaterThan(0);
    const pred = await predict(model, splits.test);
    const y = splits.test.labels[0];
    const base = splits.train.labels[0].reduce((a, b) => a + b, 0) / splits.train.size;
    const constant = logloss(Array.from(y, () => base), y);
    expect(logloss(pred.probs[0], y)).toBeLessThan(constant - 0.01);
    expect(auc(pred.probs[0], y)).toBeGreaterThan(0.6);
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(10);
  });
});

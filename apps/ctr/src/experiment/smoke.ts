// Manual smoke run: npm run moe -- apps/ctr/src/experiment/smoke.ts
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@moe/runtime';
import '@moe/kernels';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { prepareSynthetic } from './synthetic-split.js';
import { oracleMetrics, runModel } from './run-model.js';
import { MODEL_KINDS } from '../model/model-config.js';

const sel = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
console.log(sel.summary);
let t = performance.now();
const gen = JSON.parse(process.env.GEN ?? '{}') as Record<string, number>;
const tr = JSON.parse(process.env.TRAIN ?? '{}') as Record<string, number>;
const data = generateSynthetic({ rows: Number(process.argv[2] ?? 20000), seed: 1, domainSignal: 1, numDomains: 8, ...gen });
console.log('generate', ((performance.now() - t) / 1000).toFixed(2), 's', data.stats);
t = performance.now();
const splits = prepareSynthetic(data);
console.log('prepare', ((performance.now() - t) / 1000).toFixed(2), 's', splits.processor.layout.tableRows);
console.log('oracle auc', oracleMetrics(splits)[0].auc);
for (const kind of (process.argv[3]?.split(',') ?? MODEL_KINDS)) {
  t = performance.now();
  const run = await runModel(splits, { kind: kind as (typeof MODEL_KINDS)[number] }, { epochs: 2, batchSize: 512, learningRate: 3e-3, seed: 1, ...tr });
  console.log(kind, 'auc', run.metrics[0].auc.toFixed(4), 'logloss', run.metrics[0].logloss.toFixed(4), 'sec/epoch', run.train.secondsPerEpoch.toFixed(2), 'total', ((performance.now() - t) / 1000).toFixed(1), 'tensors', tf.memory().numTensors, 'best', run.train.bestEpoch);
}

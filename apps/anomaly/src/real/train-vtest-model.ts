// Rebuilds models/vtest, the model behind POST /api/anomaly/score-clip:
//   MOE_BACKEND=wasm npm run moe -- apps/anomaly/src/real/train-vtest-model.ts [outDir]
// GS-MoE on the real-path features of vtest.avi (src/real): clips from the first 45% of the video train it,
// clips from 45–60% select the epoch and the alert threshold, clips after 60% are the test reported in the
// artifact's metadata. Prints a JSON summary.
import { selectBackend } from '@moe/runtime';
import { realImagePath } from '@moe/vision';
import * as tf from '@tensorflow/tfjs-core';
import { bestF1Threshold } from '../eval/alert-threshold.js';
import { evaluateModel } from '../eval/evaluate.js';
import { scoreVideos } from '../eval/score-videos.js';
import { AnomalyModel } from '../model/anomaly-model.js';
import { CLIP_MODEL_DIR, saveAnomalyModel } from '../model/model-artifact.js';
import { DEFAULT_TRAIN_SETTINGS, trainAnomalyModel } from '../train/train-model.js';
import { buildRealVideoDataset, DEFAULT_REAL_VIDEO_OPTIONS } from './real-video-dataset.js';

const out = process.argv[2] ?? CLIP_MODEL_DIR;
await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
const { train, test, backbone } = await buildRealVideoDataset(realImagePath('vtest.avi'));
const cut = Math.floor(train.videos.length * 0.75);
const fit = { ...train, videos: train.videos.slice(0, cut) };
const validation = { ...train, videos: train.videos.slice(cut) };
const model = new AnomalyModel({ method: 'gsmoe', inputDim: train.dim, hiddenDim: 16, headHidden: 8, memorySlots: 8, classes: train.classes.length - 1, seed: 2 });
const outcome = await trainAnomalyModel(model, fit, validation, { ...DEFAULT_TRAIN_SETTINGS, epochs: 25, videosPerKind: 8, segments: 6, seed: 2 });
model.setWeights(outcome.bestWeights);
tf.dispose(Object.values(outcome.bestWeights));
const threshold = bestF1Threshold(validation, await scoreVideos(model, validation.videos));
const metrics = await evaluateModel(model, test);
await saveAnomalyModel(out, model, { classes: [...train.classes], alert: { threshold: threshold.threshold, release: 0.8 * threshold.threshold, minSnippets: 2, closeAfter: 2 }, frameFeatures: DEFAULT_REAL_VIDEO_OPTIONS.features }, {
  source: 'vtest.avi (opencv-doc) with inserted occlusion / shake / object anomalies',
  backbone,
  testAuc: metrics.auc,
  testApTrapezoid: metrics.apTrapezoid,
  bestEpoch: outcome.bestEpoch,
});
process.stdout.write(`${JSON.stringify({ out, trainClips: fit.videos.length, validationClips: validation.videos.length, testClips: test.videos.length, bestEpoch: outcome.bestEpoch, threshold, test: metrics }, null, 2)}\n`);
model.dispose();

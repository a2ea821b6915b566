/**
 * Real pixels end to end: frames of opencv-doc's vtest.avi (a real campus surveillance video from a Debian
 * package) decoded by Debian's ffmpeg, anomalies inserted into the frames, snippet features from the frozen
 * backbone, a GS-MoE model trained on video labels of the first 60% of the video, scored on clips from the
 * rest. Needs ffmpeg and the extracted file (scripts/ensure-deps.mjs provides both for tests).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { realImagePath } from '@moe/vision';
import { useBackend } from '@moe/testing';
import { evaluateModel } from '../eval/evaluate.js';
import { scoreVideos } from '../eval/score-videos.js';
import { AnomalyModel } from '../model/anomaly-model.js';
import { StreamScorer } from '../stream/stream-scorer.js';
import { DEFAULT_ALERT_POLICY } from '../stream/alert-tracker.js';
import { trainAnomalyModel, DEFAULT_TRAIN_SETTINGS } from '../train/train-model.js';
import { decodeGreyFrames } from './ffmpeg-frames.js';
import { buildRealVideoDataset } from './real-video-dataset.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('real video path (vtest.avi → ffmpeg → frozen backbone → GS-MoE)', () => {
  it('decodes real frames and refuses a file that is not a video', async () => {
    const frames = await decodeGreyFrames(realImagePath('vtest.avi'), { width: 32, height: 24, maxFrames: 5 });
    expect(frames.frames).toBe(5);
    expect(frames.data.length).toBe(5 * 32 * 24);
    // A real scene: neither blank nor saturated.
    const mean = frames.data.reduce((a, b) => a + b, 0) / frames.data.length;
    expect(mean).toBeGreaterThan(40);
    expect(mean).toBeLessThan(220);
    await expect(decodeGreyFrames(realImagePath('aero1.jpg').replace('aero1.jpg', 'manifest.json'), { width: 32, height: 24 })).rejects.toThrow(/ffmpeg could not decode/);
  });

  it('finds the inserted anomalies in held-out real clips, and the stream scorer agrees with the batch scores', { timeout: 120_000 }, async () => {
    const { train, test, frames } = await buildRealVideoDataset(realImagePath('vtest.avi'));
    expect(frames).toBe(795);
    expect(train.videos.filter((v) => v.label === 1).length).toBeGreaterThan(8);
    expect(test.videos.filter((v) => v.label === 1).length).toBeGreaterThan(4);
    const model = new AnomalyModel({ method: 'gsmoe', inputDim: train.dim, hiddenDim: 16, headHidden: 8, memorySlots: 8, classes: 3, seed: 2 });
    // Validation = the training clips themselves (this test checks the pipeline, not model selection).
    const outcome = await trainAnomalyModel(model, train, train, { ...DEFAULT_TRAIN_SETTINGS, epochs: 25, videosPerKind: 8, segments: 6, seed: 2 });
    model.setWeights(outcome.bestWeights);
    for (const t of Object.values(outcome.bestWeights)) t.dispose();
    const metrics = await evaluateModel(model, test);
    console.log(`real vtest.avi clips: test snippet AUC ${metrics.auc.toFixed(3)}, AP ${metrics.apTrapezoid.toFixed(3)}, per class ${JSON.stringify(metrics.perClassAuc)}`);
    expect(metrics.auc).toBeGreaterThan(0.75);
    const scorer = new StreamScorer(model, test.classes, DEFAULT_ALERT_POLICY);
    const video = test.videos.find((v) => v.label === 1)!;
    const streamed = [];
    for (let t = 0; t < video.length; t++) streamed.push((await scorer.score('vtest', t, video.features.subarray(t * video.dim, (t + 1) * video.dim))).score);
    const [batch] = await scoreVideos(model, [video]);
    streamed.forEach((s, t) => expect(s).toBeCloseTo(batch.scores[t], 5));
    model.dispose();
  });
});

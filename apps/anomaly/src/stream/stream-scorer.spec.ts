import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@moe/testing';
import { DEFAULT_STREAM_CONFIG } from '../data/synthetic-config.js';
import { createSyntheticWorld, generateSplit } from '../data/synthetic-streams.js';
import { scoreVideos } from '../eval/score-videos.js';
import { AnomalyModel } from '../model/anomaly-model.js';
import { DEFAULT_ALERT_POLICY, emptyAlertState, trackSnippet, type AlertChange } from './alert-tracker.js';
import { StreamScorer } from './stream-scorer.js';

const world = createSyntheticWorld({ ...DEFAULT_STREAM_CONFIG, dim: 8, length: [12, 20] }, 4);
const videos = generateSplit(world, { normal: 2, anomalousPerClass: 1 }, 'stream').videos;
const classes = ['normal', ...DEFAULT_STREAM_CONFIG.classes.map((c) => c.name)];
let model: AnomalyModel;

beforeAll(async () => {
  await useBackend('cpu');
  model = new AnomalyModel({ method: 'gsmoe', inputDim: 8, hiddenDim: 8, headHidden: 4, memorySlots: 3, classes: 4, seed: 3 });
});
afterAll(() => model.dispose());

const rowOf = (v: (typeof videos)[number], t: number) => Array.from(v.features.subarray(t * v.dim, (t + 1) * v.dim));

describe('streaming scorer', () => {
  it('scores interleaved cameras snippet by snippet exactly as a batch pass over each whole video', async () => {
    const batch = await scoreVideos(model, videos);
    const scorer = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
    const longest = Math.max(...videos.map((v) => v.length));
    const streamed = videos.map(() => [] as number[]);
    const experts = videos.map(() => [] as string[]);
    for (let t = 0; t < longest; t++) {
      const items = videos.flatMap((v, i) => (t < v.length ? [{ camera: `cam-${i}`, snippet: t, features: rowOf(v, t) }] : []));
      for (const s of await scorer.scoreMany(items)) {
        const i = Number(s.camera.slice(4));
        streamed[i].push(s.score);
        experts[i].push(s.expertClass);
        expect(s.arrival).toBe('in-order');
      }
    }
    videos.forEach((v, i) => {
      streamed[i].forEach((s, t) => expect(s).toBeCloseTo(batch[i].scores[t], 5));
      expect(experts[i]).toEqual(Array.from(batch[i].topExpert, (e) => classes[e]));
    });
    expect(tf.memory().numTensors).toBeLessThan(100);
  });

  it('resumes from a snapshot with the same scores as an uninterrupted run', async () => {
    const v = videos[videos.length - 1];
    const full = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
    const first = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
    const expected: number[] = [];
    for (let t = 0; t < v.length; t++) expected.push((await full.score('c', t, rowOf(v, t))).score);
    for (let t = 0; t < 7; t++) await first.score('c', t, rowOf(v, t));
    const resumed = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
    resumed.restore(first.snapshot());
    for (let t = 7; t < v.length; t++) expect((await resumed.score('c', t, rowOf(v, t))).score).toBeCloseTo(expected[t], 6);
    expect(resumed.snapshot()).toBe(full.snapshot());
  });

  it('scores a snippet after a gap without the missing context, and a late one without touching the state', async () => {
    const v = videos[0];
    const scorer = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
    await scorer.score('g', 0, rowOf(v, 0));
    expect((await scorer.score('g', 5, rowOf(v, 5))).arrival).toBe('after-gap');
    const before = scorer.snapshot();
    expect((await scorer.score('g', 2, rowOf(v, 2))).arrival).toBe('late');
    expect(JSON.parse(scorer.snapshot())[0][1].next).toBe(JSON.parse(before)[0][1].next);
    await expect(scorer.scoreMany([{ camera: 'g', snippet: 6, features: rowOf(v, 6) }, { camera: 'g', snippet: 7, features: rowOf(v, 7) }])).rejects.toThrow(/camera 'g' appears twice/);
    await expect(scorer.score('g', 6, [1, 2])).rejects.toThrow(/features must have 8 values, got 2/);
  });
});

describe('alert tracker', () => {
  const run = (scores: number[]) => {
    const state = emptyAlertState();
    const changes: NonNullable<AlertChange>[] = [];
    scores.forEach((s, t) => {
      const c = trackSnippet(state, { threshold: 0.5, release: 0.4, minSnippets: 2, closeAfter: 2 }, t, s, t === 4 ? 'burst' : 'long');
      if (c) changes.push(c);
    });
    return { state, changes };
  };

  it('raises one alert per event: opens after two snippets above θ, extends through a dip above the release level, closes after two below', () => {
    const { changes } = run([0.1, 0.6, 0.7, 0.45, 0.9, 0.6, 0.3, 0.2, 0.1]);
    expect(changes.map((c) => c.kind)).toEqual(['opened', 'extended', 'extended', 'extended', 'closed']);
    expect(changes.at(-1)!.alert).toEqual({ startSnippet: 1, endSnippet: 5, peakScore: 0.9, expertClass: 'burst', status: 'closed' });
  });

  it('ignores a single spike and starts a new alert for a second event', () => {
    const { changes } = run([0.9, 0.1, 0.1, 0.8, 0.8, 0.1, 0.1, 0.7, 0.7]);
    expect(changes.filter((c) => c.kind === 'opened').map((c) => c.alert.startSnippet)).toEqual([3, 7]);
  });
});

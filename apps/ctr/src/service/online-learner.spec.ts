import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@moe/kernels';
import { useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCtrArtifact, saveCtrArtifact } from '../artifact/model-artifact.js';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { runTraining } from '../train/run-training.js';
import { predict } from '../train/predict.js';
import { ModelSlot } from './model-slot.js';
import { OnlineLearner } from './online-learner.js';
import { DomainCalibration } from './domain-calibration.js';

describe('online learning and artefacts', () => {
  beforeAll(async () => useBackend('wasm'));
  const gen = { numUsers: 60, numItems: 40, numDomains: 3 };

  it('an artefact round-trips: identical predictions after save/load (AdaptDHM centres included)', async () => {
    const { artifact } = await runTraining({ data: { synthetic: { rows: 1500, seed: 3, ...gen } }, model: { kind: 'adaptdhm', clusters: 2, hidden: [8] }, training: { epochs: 1 } });
    const dir = join(mkdtempSync(join(tmpdir(), 'ctr-artifact-')), 'model');
    await saveCtrArtifact(dir, artifact);
    const loaded = await loadCtrArtifact(dir);
    const rows = generateSynthetic({ rows: 50, seed: 4, ...gen }).rows;
    const [a, b] = await Promise.all([predict(artifact.model, artifact.processor.transform(rows)), predict(loaded.model, loaded.processor.transform(rows))]);
    expect(Array.from(b.probs[0])).toEqual(Array.from(a.probs[0]));
    expect(Array.from(b.routes!)).toEqual(Array.from(a.routes!));
    artifact.model.dispose();
    loaded.model.dispose();
  });

  it('joins clicks inside the window only, fine-tunes and recalibrates', async () => {
    const { artifact } = await runTraining({ data: { synthetic: { rows: 1500, seed: 5, ...gen } }, model: { kind: 'shared-bottom', hidden: [8] }, training: { epochs: 1 } });
    const slot = new ModelSlot();
    slot.swap(artifact, 'test');
    const learner = new OnlineLearner<unknown>(slot, { joinWindowMs: 100, batchSize: 4 });
    const rows = generateSynthetic({ rows: 12, seed: 6, ...gen }).rows.map(({ click: _c, ...r }) => r);
    const before = slot.current!.artifact.model.getWeights();
    const impression = (i: number) => learner.apply(learner.decode({ type: 'impression', id: `i${i}`, ts: i * 10, row: rows[i] }));
    for (let i = 0; i < 5; i++) await impression(i);
    await learner.apply(learner.decode({ type: 'click', impressionId: 'i0', ts: 50 })); // inside i0's window [0, 100]
    for (let i = 5; i < 12; i++) await impression(i);
    await learner.apply(learner.decode({ type: 'click', impressionId: 'i1', ts: 500 })); // 490 ms late → not joined
    await learner.apply(learner.decode({ type: 'click', impressionId: 'nope', ts: 501 }));
    expect(learner.stats.clicksJoined).toBe(1);
    expect(learner.stats.lateOrUnmatchedClicks).toBe(2);
    expect(learner.stats.labelled).toBe(12); // watermark 501 closed every window
    expect(learner.stats.fineTuneSteps).toBe(3);
    const after = slot.current!.artifact.model.getWeights();
    expect(Array.from(await after['bottom.dense0.w'].data())).not.toEqual(Array.from(await before['bottom.dense0.w'].data()));
    expect(() => learner.decode({ type: 'click', ts: 1 })).toThrow(/impressionId/);
    // The checkpointed state restores the counters.
    const copy = new OnlineLearner<unknown>(slot, { joinWindowMs: 100 });
    copy.restore(learner.snapshot());
    expect(copy.stats.labelled).toBe(12);
    learner.dispose();
    copy.dispose();
    slot.dispose();
  });

  it('recalibration moves a biased domain towards its observed rate', () => {
    const cal = new DomainCalibration(2, 1);
    const n = 2000;
    const p = new Array<number>(n).fill(0.1);
    const y = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0)); // observed 25 % vs predicted 10 %
    const domain = Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    cal.update(p, y, domain, 0, 0);
    expect(cal.apply(0.1, 0, 0)).toBeCloseTo(0.25, 2);
    expect(cal.offsets[1][0]).not.toBe(0);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@moe/kernels';
import { FileWorkerStore, NdjsonFileSource, runWorker, type EventHandler } from '@moe/service';
import { useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCtrArtifact, saveCtrArtifact } from '../artifact/model-artifact.js';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { runTraining } from '../train/run-training.js';
import type { CtrEvent } from './ctr-events.js';
import { OnlineLearner, type OnlineLearnerOptions } from './online-learner.js';
import { syntheticEvents } from './synthetic-events.js';
import { readHostWeights } from './weight-file.js';

const gen = { numDomains: 3, numUsers: 80, numItems: 50, domainSignal: 0.5 };
const WINDOW = 30_000;

describe('OnlineLearner (join, fine-tune, recalibrate, checkpoint)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-online-'));
  const modelDir = join(dir, 'model');
  // One synthetic world (seed 1): the model trains on its first 1500 rows, the stream is the next 1200.
  const stream = { rows: generateSynthetic({ rows: 2700, seed: 1, ...gen }).rows.slice(1500) };
  const { events, onTime, late } = syntheticEvents(stream.rows, { windowMs: WINDOW, gapMs: 1000, lateShare: 0.15, seed: 3 });
  const eventsFile = join(dir, 'events.ndjson');

  beforeAll(async () => {
    await useBackend('wasm');
    const { artifact } = await runTraining({ data: { synthetic: { rows: 2700, seed: 1, ...gen } }, split: { train: 0.5, valid: 0.05 }, model: { kind: 'shared-bottom', hidden: [8], tower: [4] }, training: { epochs: 1, batchSize: 256 } });
    await saveCtrArtifact(modelDir, artifact);
    artifact.model.dispose();
    writeFileSync(eventsFile, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }, 30_000);

  const options = (name: string, extra: Partial<OnlineLearnerOptions> = {}): OnlineLearnerOptions => ({ joinWindowMs: WINDOW, batchSize: 100, weightsDir: join(dir, `${name}.weights`), base: 'test-model', ...extra });

  it('recalibration brings the PCOC of a miscalibrated model back towards 1 (measured prequentially)', async () => {
    const artifact = await loadCtrArtifact(modelDir);
    // Miscalibrate on purpose: the output offset says 1 % CTR where the stream has several times that.
    artifact.model.setOutputPrior([0.01]);
    const learner = await OnlineLearner.create(artifact, options('calibration', { learningRate: 0, calibrationWindow: 600 }));
    for (const e of events) await learner.apply(learner.decode(e));
    const s = learner.stats;
    expect(s.clicksJoined).toBe(onTime);
    expect(s.lateClicks).toBe(late);
    expect(s.fineTuneSteps).toBeGreaterThanOrEqual(10);
    expect(s.pcocRaw).not.toBeNull();
    expect(s.pcocCalibrated).not.toBeNull();
    const before = Math.abs(Math.log(s.pcocRaw!));
    const after = Math.abs(Math.log(s.pcocCalibrated!));
    expect(s.pcocRaw!).toBeLessThan(0.6);
    expect(after).toBeLessThan(before / 3);
    // The fitted calibration travels with the model when it is published.
    expect(learner.currentCalibration.isIdentity).toBe(false);
    expect(learner.publishable().metadata.calibration).toEqual(learner.currentCalibration.toJSON());
    console.info(`PCOC before recalibration ${s.pcocRaw!.toFixed(3)}, after ${s.pcocCalibrated!.toFixed(3)} (window of ${Math.min(600, s.labelled)} rows)`);
    learner.dispose();
    artifact.model.dispose();
  });

  it('dead-letters impressions the model cannot encode, naming the field', async () => {
    const artifact = await loadCtrArtifact(modelDir);
    const learner = await OnlineLearner.create(artifact, options('decode'));
    const row = (events[0] as Extract<CtrEvent, { type: 'impression' }>).row;
    expect(() => learner.decode({ type: 'impression', id: 'x', ts: 1, row: { ...row, domain: 'mars' } })).toThrow(/row\.domain: .*unknown domain 'mars'/);
    expect(() => learner.decode({ type: 'impression', id: 'x', ts: 1, row: { ...row, price: 'cheap' } })).toThrow(/row\.price: .*expected a finite number/);
    expect(() => learner.decode({ type: 'click', ts: 1 })).toThrow(/impressionId/);
    expect(() => learner.decode({ type: 'click', impressionId: 'a', ts: 1, task: 'buy' })).toThrow(/unknown task 'buy'/);
    learner.dispose();
    artifact.model.dispose();
  });

  it('resumes after a crash from its checkpoint without losing or double-applying an event', async () => {
    const run = async (name: string, crashAt?: number) => {
      const artifact = await loadCtrArtifact(modelDir);
      const learner = await OnlineLearner.create(artifact, options(name));
      let applied = 0;
      // A crash mid-commit: the batch being applied is not committed, and the process is gone.
      const handler: EventHandler<CtrEvent, unknown> = {
        decode: (v) => learner.decode(v),
        eventId: (e) => learner.eventId(e),
        apply: async (e) => {
          if (crashAt !== undefined && ++applied === crashAt) throw new Error('simulated crash');
          await learner.apply(e);
        },
        snapshot: () => learner.snapshot(),
        restore: (s) => learner.restore(s),
      };
      const worker = await runWorker({ source: new NdjsonFileSource({ path: eventsFile }), handler, store: new FileWorkerStore({ path: join(dir, `${name}.checkpoint.json`) }), checkpointEvery: 150, batchSize: 50, maxInFlight: 300 });
      const outcome = await worker.done.then(() => 'done', (e: Error) => e.message);
      const weights = await readHostWeights(artifact.model);
      const result = { outcome, stats: { ...learner.stats }, weights, calibration: learner.currentCalibration.toJSON(), worker: worker.stats };
      learner.dispose();
      artifact.model.dispose();
      return result;
    };
    const straight = await run('straight');
    expect(straight.outcome).toBe('done');
    expect(straight.stats.fineTuneSteps).toBeGreaterThan(5);
    const crashed = await run('resumed', 700);
    expect(crashed.outcome).toBe('simulated crash');
    expect(crashed.worker.commits).toBeGreaterThan(0);
    const resumed = await run('resumed');
    expect(resumed.outcome).toBe('done');
    // Every event applied exactly once overall: same counters, same calibration, bit-identical weights.
    expect(resumed.stats).toEqual(straight.stats);
    expect(resumed.calibration).toEqual(straight.calibration);
    expect(resumed.weights.table).toEqual(straight.weights.table);
    expect(resumed.weights.tensors).toEqual(straight.weights.tensors);
    expect(crashed.worker.applied + resumed.worker.applied).toBe(events.length);
    expect(resumed.stats.impressions).toBe(stream.rows.length);
    expect(resumed.stats.clicksJoined).toBe(onTime);
    expect(resumed.stats.lateClicks).toBe(late);
  }, 40_000);
});

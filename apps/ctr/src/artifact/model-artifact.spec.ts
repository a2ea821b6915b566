import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@moe/kernels';
import { useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { runTraining } from '../train/run-training.js';
import { predict } from '../train/predict.js';
import { loadCtrArtifact, saveCtrArtifact } from './model-artifact.js';

describe('CTR model artefact', () => {
  beforeAll(async () => useBackend('wasm'));
  const gen = { numUsers: 60, numItems: 40, numDomains: 3 };

  it('round-trips: identical predictions and routes after save/load (AdaptDHM centres, embedding table, processor)', async () => {
    const { artifact } = await runTraining({ data: { synthetic: { rows: 1500, seed: 3, ...gen } }, model: { kind: 'adaptdhm', clusters: 2, hidden: [8] }, training: { epochs: 1 } });
    const dir = join(mkdtempSync(join(tmpdir(), 'ctr-artifact-')), 'model');
    await saveCtrArtifact(dir, artifact);
    const loaded = await loadCtrArtifact(dir);
    const rows = generateSynthetic({ rows: 50, seed: 4, ...gen }).rows;
    const [a, b] = await Promise.all([predict(artifact.model, artifact.processor.transform(rows)), predict(loaded.model, loaded.processor.transform(rows))]);
    expect(Array.from(b.probs[0])).toEqual(Array.from(a.probs[0]));
    expect(Array.from(b.routes!)).toEqual(Array.from(a.routes!));
    // A corrupted weights file is refused by the checkpoint loader.
    const weights = readdirSync(dir).find((f) => f.startsWith('weights.'))!;
    writeFileSync(join(dir, weights), 'garbage');
    await expect(loadCtrArtifact(dir)).rejects.toThrow();
    artifact.model.dispose();
    loaded.model.dispose();
  });
});

import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENE_CLASS_NAMES } from '../data/scene-classes.js';
import { defaultBackboneDir, disposeArtifact, loadBackboneArtifact, modelFromArtifact } from './backbone-artifact.js';

describe('the committed pretrained backbone artifact', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('loads with its checksums, records how it was pretrained, and builds frozen-backbone models', async () => {
    const artifact = await loadBackboneArtifact();
    expect(artifact.config.classes).toEqual([...SCENE_CLASS_NAMES]);
    expect(artifact.config.backbone.imageSize / artifact.config.backbone.patchSize).toBeGreaterThanOrEqual(8);
    expect(artifact.record).toMatchObject({ steps: expect.any(Number), pretrainValMiou: expect.any(Number) });
    expect(artifact.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    const model = modelFromArtifact(artifact, { kind: 'earth-adapter', size: 8, cutoff: 0.3, seed: 1 });
    const w = artifact.weights['backbone.block0.attention.qkv.w'];
    const same = tf.tidy(() => tf.max(tf.abs(tf.sub(model.backbone.namedVariables().get('block0.attention.qkv.w')!, w))));
    expect((await same.data())[0]).toBe(0);
    expect(model.trainableVariables()).not.toContain(model.backbone.namedVariables().get('block0.attention.qkv.w'));
    same.dispose();
    model.dispose();
    disposeArtifact(artifact);
  });

  it('refuses a copy whose weights were changed, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-artifact-'));
    cpSync(defaultBackboneDir(), dir, { recursive: true });
    const weights = readdirSync(dir).find((f) => f.startsWith('weights.'))!;
    const bytes = readFileSync(join(dir, weights));
    bytes[100] ^= 0xff;
    writeFileSync(join(dir, weights), bytes);
    await expect(loadBackboneArtifact(dir)).rejects.toThrow(new RegExp(weights.replace('.', '\\.')));
  });
});

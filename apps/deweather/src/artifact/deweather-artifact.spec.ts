import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@moe/testing';
import { psnr, synthesizeWeather } from '@moe/vision';
import { DeweatherNet } from '../model/deweather-net.js';
import { proceduralScene } from '../data/procedural-scene.js';
import { restoreImage } from '../eval/restore-image.js';
import { DEFAULT_MODEL_DIR } from '../service/deweather-context.js';
import { loadDeweatherArtifact, saveDeweatherArtifact } from './deweather-artifact.js';

const metadata = { crop: 48, trainTypes: ['rain'], steps: 0, metrics: {}, expertUsage: {} };

describe('deweather artefacts', () => {
  beforeAll(() => useBackend('wasm'));

  it('round-trips bit-identically and refuses a corrupted weight file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deweather-artifact-'));
    const net = new DeweatherNet({ variant: 'moe', dim: 16, heads: 2, channels: 4, experts: 4, seed: 3 });
    await saveDeweatherArtifact(dir, { net, metadata });
    const loaded = await loadDeweatherArtifact(dir);
    const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const a = net.apply(x, { training: false });
    const b = loaded.net.apply(x, { training: false });
    expect(Array.from(await a.output.data())).toEqual(Array.from(await b.output.data()));
    expect(loaded.net.config.variant).toBe('moe');
    tf.dispose([x, a.output, a.aux, b.output, b.aux]);
    net.dispose();
    loaded.net.dispose();
    const weights = readdirSync(dir).find((f) => f.startsWith('weights'))!;
    writeFileSync(join(dir, weights), new Uint8Array(16));
    await expect(loadDeweatherArtifact(dir)).rejects.toThrow(/weights/);
  });

  it('the committed default model loads and removes haze from an unseen scene', async () => {
    const { net, metadata: meta } = await loadDeweatherArtifact(DEFAULT_MODEL_DIR);
    expect(meta.trainTypes).toEqual(['rain', 'haze', 'snow', 'raindrop']);
    const clean = proceduralScene(96, 48, 300_001);
    const hazy = synthesizeWeather(clean, 'haze', 21).degraded;
    const restored = (await restoreImage(net, hazy, { tile: meta.crop })).image;
    expect(psnr(restored, clean)).toBeGreaterThan(psnr(hazy, clean));
    net.dispose();
  }, 30_000);
});

import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { useBackend } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { FeatureProcessor } from '../features/feature-processor.js';
import { createModel } from '../model/create-model.js';
import { predict } from '../train/predict.js';
import { ModelSlot } from './model-slot.js';

describe('ModelSlot hot swap', () => {
  beforeAll(async () => useBackend('wasm'));
  const { rows, featureConfig } = generateSynthetic({ rows: 200, seed: 3, numDomains: 2, numUsers: 20, numItems: 10 });
  const processor = FeatureProcessor.fit(featureConfig, rows);
  const artifact = (seed: number) => ({ processor, model: createModel(processor.layout, { kind: 'shared-bottom', hidden: [4], tower: [2], seed }), metadata: {} });

  it('keeps a leased model alive across a swap and disposes it only after the last lease is released', async () => {
    const base = tf.memory().numTensors;
    const slot = new ModelSlot();
    slot.swap(artifact(1), 'a');
    const perModel = tf.memory().numTensors - base;
    const lease = slot.lease()!;
    const { retired, draining } = slot.swap(artifact(2), 'b');
    expect(draining).toBe(1);
    expect(slot.current!.version).toBe('b');
    let disposed = false;
    void retired.then(() => (disposed = true));
    // The in-flight request still predicts on the old model after the swap.
    const out = await predict(lease.served.artifact.model, processor.transform(rows.slice(0, 4)));
    expect(out.probs[0].every((p) => p > 0 && p < 1)).toBe(true);
    await Promise.resolve();
    expect(disposed).toBe(false);
    expect(tf.memory().numTensors - base).toBe(2 * perModel);
    lease.release();
    lease.release(); // idempotent
    await retired;
    expect(tf.memory().numTensors - base).toBe(perModel);
    // A swap with nothing in flight retires at once.
    expect(slot.swap(artifact(3), 'c').draining).toBe(0);
    await slot.dispose();
    expect(tf.memory().numTensors).toBe(base);
    expect(slot.lease()).toBeUndefined();
  });
});

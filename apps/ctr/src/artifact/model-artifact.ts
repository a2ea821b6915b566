import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '@moe/runtime';
import { FeatureProcessor, type FeatureProcessorState } from '../features/feature-processor.js';
import { createModel } from '../model/create-model.js';
import type { CtrModel } from '../model/ctr-model.js';
import { parseModelConfig, type ModelConfig } from '../model/model-config.js';

/** Name of the embedding table inside a checkpoint's weights (not a Module variable: it lives on the host). */
const TABLE = '__embeddingTable';

/** A servable CTR model: the fitted feature processor and the model built for its layout. */
export interface CtrArtifact {
  processor: FeatureProcessor;
  model: CtrModel;
  metadata: { [key: string]: JsonValue };
}

interface ArtifactConfig {
  kind: 'ctr-model';
  model: ModelConfig;
  features: FeatureProcessorState;
}

/**
 * Saves model weights (dense variables, AdaptDHM centres, BN statistics and the embedding table), the model
 * config and the fitted feature processor as one atomic, checksummed checkpoint (@moe/runtime).
 */
export async function saveCtrArtifact(dir: string, artifact: CtrArtifact): Promise<void> {
  const weights = artifact.model.getWeights();
  weights[TABLE] = tf.tensor2d(artifact.model.table.data, [artifact.model.table.rows, artifact.model.table.dim]);
  try {
    const config: ArtifactConfig = { kind: 'ctr-model', model: artifact.model.config, features: artifact.processor.toJSON() };
    await saveCheckpoint(dir, { config: config as unknown as JsonValue, weights, metadata: artifact.metadata });
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Loads and verifies an artefact written by {@link saveCtrArtifact}; a corrupt file is refused by the checkpoint loader. */
export async function loadCtrArtifact(dir: string): Promise<CtrArtifact> {
  const ckpt = await loadCheckpoint(dir);
  try {
    const config = ckpt.config as unknown as ArtifactConfig;
    if (config?.kind !== 'ctr-model') throw new Error(`${dir}: not a CTR model checkpoint (config.kind is ${JSON.stringify(config?.kind)})`);
    const processor = FeatureProcessor.fromJSON(config.features);
    const model = createModel(processor.layout, parseModelConfig(config.model));
    const { [TABLE]: table, ...rest } = ckpt.weights;
    if (!table) throw new Error(`${dir}: checkpoint has no '${TABLE}' tensor`);
    model.setWeights(rest);
    model.table.load((await table.data()) as Float32Array);
    return { processor, model, metadata: (ckpt.metadata ?? {}) as { [key: string]: JsonValue } };
  } finally {
    tf.dispose(Object.values(ckpt.weights));
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '@moe/runtime';
import { SegmentationModel, type SegmentationModelConfig } from '../model/segmentation-model.js';

export const ADAPTED_MODEL_FORMAT = 'remote-sensing-model';

/** Saves a whole adapted model (backbone, head, adapters) as a checksummed checkpoint with its metrics. */
export async function saveAdaptedModel(dir: string, model: SegmentationModel, metadata: { [key: string]: JsonValue }): Promise<void> {
  const weights: Record<string, tf.Tensor> = Object.fromEntries(model.namedVariables());
  await saveCheckpoint(dir, { config: { format: ADAPTED_MODEL_FORMAT, model: model.getConfig() }, weights, metadata });
}

/** Loads (and verifies) a model saved by {@link saveAdaptedModel}. */
export async function loadAdaptedModel(dir: string): Promise<SegmentationModel> {
  const ckpt = await loadCheckpoint(dir);
  const config = ckpt.config as { format?: unknown; model?: unknown };
  if (config?.format !== ADAPTED_MODEL_FORMAT || typeof config.model !== 'object') {
    tf.dispose(Object.values(ckpt.weights));
    throw new Error(`loadAdaptedModel: ${dir} is not a ${ADAPTED_MODEL_FORMAT} checkpoint (format ${JSON.stringify(config?.format)})`);
  }
  const model = new SegmentationModel(config.model as unknown as SegmentationModelConfig);
  try {
    model.setWeights(ckpt.weights);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(ckpt.weights));
  }
  return model;
}

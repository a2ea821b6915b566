import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '@moe/runtime';
import { fileURLToPath } from 'node:url';
import { checkAlertPolicy, type AlertPolicy } from '../stream/alert-tracker.js';
import type { FrameFeatureConfig } from '../real/video-file-features.js';
import { AnomalyModel, checkModelConfig, type AnomalyModelConfig } from './anomaly-model.js';

/** What a saved anomaly model carries besides its weights. */
export interface AnomalyArtifactConfig {
  model: AnomalyModelConfig;
  /** classes[0] = 'normal', then one name per anomaly class (expert order). */
  classes: string[];
  /** Alert thresholds (the threshold is chosen on the validation split at training time). */
  alert: AlertPolicy;
  /** For models trained on frames: how frames become its snippet features (absent for feature-file models). */
  frameFeatures?: FrameFeatureConfig;
}

export interface LoadedAnomalyModel {
  model: AnomalyModel;
  config: AnomalyArtifactConfig;
  metadata: Record<string, JsonValue>;
  dir: string;
}

/** The small GS-MoE model committed with the app (D = 32 synthetic features; `anomaly train` rebuilds it). */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default', import.meta.url));
/** The GS-MoE model for uploaded clips, trained on vtest.avi frame features (src/real/train-vtest-model.ts rebuilds it). */
export const CLIP_MODEL_DIR = fileURLToPath(new URL('../../models/vtest', import.meta.url));

export async function saveAnomalyModel(dir: string, model: AnomalyModel, config: Omit<AnomalyArtifactConfig, 'model'>, metadata: Record<string, JsonValue> = {}): Promise<void> {
  const weights = model.getWeights();
  try {
    const full: AnomalyArtifactConfig = { model: model.config, classes: config.classes, alert: config.alert, ...(config.frameFeatures ? { frameFeatures: config.frameFeatures } : {}) };
    await saveCheckpoint(dir, { config: full as unknown as JsonValue, weights, metadata });
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Loads and checks an artifact (checksums by @moe/runtime; a config that does not fit the weights is refused). */
export async function loadAnomalyModel(dir: string = DEFAULT_MODEL_DIR): Promise<LoadedAnomalyModel> {
  const ckpt = await loadCheckpoint<JsonValue>(dir);
  const config = ckpt.config as unknown as AnomalyArtifactConfig;
  try {
    checkModelConfig(config.model);
    checkAlertPolicy(config.alert);
    if (!Array.isArray(config.classes) || config.classes[0] !== 'normal') throw new RangeError(`classes: expected a list starting with 'normal', got ${JSON.stringify(config.classes)}`);
    const model = new AnomalyModel(config.model);
    model.setWeights(ckpt.weights);
    return { model, config, metadata: ckpt.metadata, dir };
  } catch (e) {
    throw new Error(`model artifact ${dir}: ${(e as Error).message}`);
  } finally {
    tf.dispose(Object.values(ckpt.weights));
  }
}

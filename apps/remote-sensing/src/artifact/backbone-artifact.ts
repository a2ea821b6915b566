import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '@moe/runtime';
import type { VitBackboneConfig } from '@moe/vision';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SegmentationModel } from '../model/segmentation-model.js';
import type { MethodSpec } from '../model/methods/create-method.js';

export const BACKBONE_ARTIFACT_FORMAT = 'remote-sensing-backbone';
export const BACKBONE_ARTIFACT_VERSION = 1;

/** The committed pretrained backbone (apps/remote-sensing/artifacts/backbone-v1), present on a fresh clone. */
export function defaultBackboneDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', `backbone-v${BACKBONE_ARTIFACT_VERSION}`);
}

/** Config of a pretrained backbone artifact (what the checkpoint's config.json holds). */
export interface BackboneArtifactConfig {
  format: typeof BACKBONE_ARTIFACT_FORMAT;
  version: number;
  backbone: VitBackboneConfig;
  head: { hiddenDim: number; numClasses: number; seed: number };
  classes: string[];
}

export interface BackboneArtifact {
  config: BackboneArtifactConfig;
  /** How it was pretrained (steps, data, losses, scores). */
  record: { [key: string]: JsonValue };
  /** Weights by name: 'backbone.*' and 'head.*'; the caller disposes them (or calls {@link disposeArtifact}). */
  weights: Record<string, tf.Tensor>;
  /** sha256 of the weights file, from the verified manifest. */
  weightsSha256: string;
}

/** Saves a pretrained backbone + head atomically with checksums (@moe/runtime checkpoints). */
export async function saveBackboneArtifact(dir: string, model: SegmentationModel, classes: string[], record: { [key: string]: JsonValue }): Promise<void> {
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, v] of model.backbone.namedVariables()) weights[`backbone.${name}`] = v;
  for (const [name, v] of model.head.namedVariables()) weights[`head.${name}`] = v;
  const config: BackboneArtifactConfig = {
    format: BACKBONE_ARTIFACT_FORMAT,
    version: BACKBONE_ARTIFACT_VERSION,
    backbone: model.backbone.config,
    head: { hiddenDim: model.head.hiddenDim, numClasses: model.head.numClasses, seed: model.head.seed },
    classes,
  };
  await saveCheckpoint(dir, { config: config as unknown as JsonValue, weights, metadata: record });
}

/** Loads and verifies (checksums, format, version) a pretrained backbone artifact. */
export async function loadBackboneArtifact(dir: string = defaultBackboneDir()): Promise<BackboneArtifact> {
  const ckpt = await loadCheckpoint(dir);
  const config = ckpt.config as unknown as BackboneArtifactConfig;
  if (config?.format !== BACKBONE_ARTIFACT_FORMAT || config.version !== BACKBONE_ARTIFACT_VERSION) {
    tf.dispose(Object.values(ckpt.weights));
    throw new Error(`loadBackboneArtifact: ${dir} is not a ${BACKBONE_ARTIFACT_FORMAT} v${BACKBONE_ARTIFACT_VERSION} artifact (format ${JSON.stringify(config?.format)}, version ${JSON.stringify(config?.version)})`);
  }
  const weightsEntry = ckpt.manifest.files.find((f) => f.role === 'weights');
  return { config, record: ckpt.metadata, weights: ckpt.weights, weightsSha256: weightsEntry?.sha256 ?? '' };
}

export function disposeArtifact(artifact: BackboneArtifact): void {
  tf.dispose(Object.values(artifact.weights));
}

/** A model with the artifact's frozen backbone and pretrained head, and fresh adapters for `method`. */
export function modelFromArtifact(artifact: BackboneArtifact, method: MethodSpec): SegmentationModel {
  const model = new SegmentationModel({ backbone: artifact.config.backbone, head: artifact.config.head, method });
  const pick = (prefix: string) => Object.fromEntries(Object.entries(artifact.weights).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  model.loadPretrained(pick('backbone.'), pick('head.'));
  return model;
}

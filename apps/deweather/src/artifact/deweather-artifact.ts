import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '@moe/runtime';
import { DeweatherNet } from '../model/deweather-net.js';
import { parseDeweatherNetConfig } from '../model/deweather-net-config.js';

/** What a model artefact carries besides its weights (JSON). */
export interface DeweatherArtifactMetadata {
  /** Tile side the network was trained on (the service restores in tiles of this size). */
  crop: number;
  trainTypes: string[];
  steps: number;
  /** Test metrics per weather type: PSNR/SSIM (RGB, [0, 1], crop resolution) and the unrestored input's. */
  metrics: Record<string, { psnr: number; ssim: number; inputPsnr: number; inputSsim: number }>;
  /** Share of assignments per expert per weather type, averaged over the MoE layers. */
  expertUsage: Record<string, number[]>;
  calibration?: { aurocMutualInformation: number; aurocEntropy: number; idMean: number; oodMean: number };
  [key: string]: JsonValue | undefined;
}

export interface DeweatherArtifact {
  net: DeweatherNet;
  metadata: DeweatherArtifactMetadata;
}

/** Writes an artefact directory atomically (weights + config + metadata, checksummed by @moe/runtime). */
export async function saveDeweatherArtifact(dir: string, artifact: DeweatherArtifact): Promise<void> {
  const weights = artifact.net.getWeights();
  try {
    await saveCheckpoint(dir, { config: artifact.net.getConfig(), weights, metadata: artifact.metadata as unknown as { [k: string]: JsonValue } });
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Loads and verifies an artefact (a corrupt or altered file throws naming it). */
export async function loadDeweatherArtifact(dir: string): Promise<DeweatherArtifact> {
  const ckpt = await loadCheckpoint(dir);
  try {
    const net = new DeweatherNet(parseDeweatherNetConfig(ckpt.config));
    try {
      net.setWeights(ckpt.weights);
    } catch (e) {
      net.dispose();
      throw e;
    }
    return { net, metadata: ckpt.metadata as unknown as DeweatherArtifactMetadata };
  } finally {
    tf.dispose(Object.values(ckpt.weights));
  }
}

/** The sha256 the registry records: the manifest's hash (the manifest lists every data file's sha256). */
export async function artifactSha256(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, 'manifest.json'))).digest('hex');
}

/**
 * On-disk layout of a checkpoint directory (format version 1):
 *
 *   manifest.json                   the root: format, version, and every other file with its size and sha256
 *   weights.<hash16>.bin            tensor data, concatenated, little-endian, 4-byte aligned
 *   tensors.<hash16>.json           tensor index: name, dtype, shape, byte offset and length in the .bin
 *   config.<hash16>.json            the model config (JSON)
 *   metadata.<hash16>.json          free-form metadata (JSON)
 *
 * Data files carry the first 16 hex digits of their sha256 in their names, so a new checkpoint never
 * overwrites the files the current manifest points to: saving writes the new files, then swaps
 * manifest.json with one atomic rename, then deletes what the new manifest no longer lists. A crash at any
 * point leaves a manifest whose files are all present.
 */
import type { JsonValue } from './json-value.js';

/** The `format` field of every manifest. */
export const CHECKPOINT_FORMAT = 'moe-checkpoint';
/** The manifest version this code writes and reads. */
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** dtypes a checkpoint stores; both are 4 bytes per element. */
export const CHECKPOINT_DTYPES = ['float32', 'int32'] as const;
/** A dtype a checkpoint can store. */
export type CheckpointDtype = (typeof CHECKPOINT_DTYPES)[number];

/** The roles of the data files a manifest lists. */
export type CheckpointFileRole = 'weights' | 'tensors' | 'config' | 'metadata';

/** One data file of a checkpoint, as its manifest lists it. */
export interface ManifestFileEntry {
  role: CheckpointFileRole;
  /** File name inside the checkpoint directory. */
  path: string;
  bytes: number;
  sha256: string;
}

/** The content of `manifest.json`. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** ISO-8601 time the checkpoint was written. */
  createdAt: string;
  files: ManifestFileEntry[];
}

/** Where one tensor lies in the weights file (`tensors.<hash>.json` lists one per tensor). */
export interface TensorIndexEntry {
  name: string;
  dtype: CheckpointDtype;
  shape: number[];
  /** Byte offset of the tensor's data in the weights file. */
  offset: number;
  byteLength: number;
}

/** What saveCheckpoint takes and loadCheckpoint gives back. */
export interface CheckpointContent<Config extends JsonValue = JsonValue, Tensor = unknown> {
  config: Config;
  weights: Record<string, Tensor>;
  metadata?: { [key: string]: JsonValue };
}

/** Names data files are written under; anything else in the directory is never touched. */
export const DATA_FILE_PATTERN = /^(weights|tensors|config|metadata)\.[0-9a-f]{16}\.(bin|json)$/;
/** Temporary files a save in progress (or one that crashed) leaves; the next save removes them. */
export const TEMP_FILE_PATTERN = /\.tmp-[0-9a-z]+-[0-9a-z]+$/;

export function dataFileName(role: CheckpointFileRole, sha256: string): string {
  return `${role}.${sha256.slice(0, 16)}.${role === 'weights' ? 'bin' : 'json'}`;
}

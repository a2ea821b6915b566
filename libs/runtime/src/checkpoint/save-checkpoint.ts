import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';
import {
  CHECKPOINT_DTYPES, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, DATA_FILE_PATTERN, MANIFEST_FILE, TEMP_FILE_PATTERN, dataFileName,
  type CheckpointContent, type CheckpointDtype, type CheckpointFileRole, type CheckpointManifest, type ManifestFileEntry, type TensorIndexEntry,
} from './checkpoint-format.js';
import { syncDirectory, writeFileDurably } from './durable-file.js';
import { assertJsonValue, type JsonValue } from './json-value.js';

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /**
   * Called after each data file is durably on disk, before the manifest is swapped (for progress logs).
   * If it throws, the save stops there and the previous checkpoint stays the current one.
   */
  onFileWritten?: (file: string) => void | Promise<void>;
}

/** What {@link saveCheckpoint} resolves with. */
export interface SavedCheckpoint {
  dir: string;
  manifest: CheckpointManifest;
  tensors: TensorIndexEntry[];
}

/**
 * Writes a checkpoint into `dir` (created if needed) atomically: the new data files are written under
 * content-hashed names and fsynced, then `manifest.json` is replaced by one rename, then files of the
 * previous checkpoint are removed. A crash or error at any point leaves the previous checkpoint loadable.
 * Tensors are read with `await t.data()`, so weights may live on any backend (webgpu included); they are
 * not disposed. One writer per directory at a time.
 *
 * ```ts
 * await saveCheckpoint('runs/ctr-v3', { config: model.getConfig(), weights: model.getWeights(), metadata: { auc: 0.79 } });
 * ```
 */
export async function saveCheckpoint(
  dir: string,
  content: CheckpointContent<JsonValue, tf.Tensor>,
  options: SaveCheckpointOptions = {},
): Promise<SavedCheckpoint> {
  if (typeof dir !== 'string' || dir.length === 0) throw new CheckpointError('invalid_argument', `saveCheckpoint: dir must be a non-empty path, got ${JSON.stringify(dir)}`);
  if (content === null || typeof content !== 'object') throw new CheckpointError('invalid_argument', `saveCheckpoint: content must be {config, weights, metadata?}, got ${content === null ? 'null' : typeof content}`);
  assertJsonValue(content.config, 'config');
  const metadata = content.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new CheckpointError('invalid_argument', `metadata: expected a plain object, got ${Array.isArray(metadata) ? 'an array' : typeof metadata}`);
  assertJsonValue(metadata, 'metadata');
  const { bytes: weightBytes, index } = await serialiseWeights(content.weights);

  const payloads: Record<CheckpointFileRole, Uint8Array> = {
    weights: weightBytes,
    tensors: jsonBytes(index),
    config: jsonBytes(content.config),
    metadata: jsonBytes(metadata),
  };
  const files: ManifestFileEntry[] = (Object.keys(payloads) as CheckpointFileRole[]).map((role) => {
    const sha256 = createHash('sha256').update(payloads[role]).digest('hex');
    return { role, path: dataFileName(role, sha256), bytes: payloads[role].byteLength, sha256 };
  });
  const manifest: CheckpointManifest = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, createdAt: new Date().toISOString(), files };

  await withWriteError(dir, dir, () => mkdir(dir, { recursive: true }));
  for (const file of files) {
    await withWriteError(dir, file.path, () => writeFileDurably(join(dir, file.path), payloads[file.role]));
    await options.onFileWritten?.(file.path);
  }
  await withWriteError(dir, dir, () => syncDirectory(dir));
  // The commit point: until this rename lands, manifest.json still describes the previous checkpoint.
  await withWriteError(dir, MANIFEST_FILE, () => writeFileDurably(join(dir, MANIFEST_FILE), jsonBytes(manifest)));
  await withWriteError(dir, dir, () => syncDirectory(dir));
  await removeStaleFiles(dir, new Set(files.map((f) => f.path)));
  return { dir, manifest, tensors: index };
}

async function serialiseWeights(weights: Record<string, tf.Tensor>): Promise<{ bytes: Uint8Array; index: TensorIndexEntry[] }> {
  if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) {
    throw new CheckpointError('invalid_argument', `weights: expected a record of name → tf.Tensor, got ${weights === null ? 'null' : Array.isArray(weights) ? 'an array' : typeof weights}`);
  }
  // Sorted names: the same weights always give byte-identical files (and so the same hashes).
  const names = Object.keys(weights).sort();
  const index: TensorIndexEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const t = weights[name];
    if (name.length === 0) throw new CheckpointError('invalid_argument', 'weights: a weight name is empty');
    if (!(t instanceof tf.Tensor)) throw new CheckpointError('invalid_argument', `weights.${name}: expected a tf.Tensor, got ${t === null ? 'null' : typeof t}`);
    if (t.isDisposed) throw new CheckpointError('invalid_argument', `weights.${name}: the tensor is disposed`);
    if (!(CHECKPOINT_DTYPES as readonly string[]).includes(t.dtype)) {
      throw new CheckpointError('invalid_argument', `weights.${name}: dtype must be one of ${CHECKPOINT_DTYPES.join(', ')}, got ${t.dtype}`);
    }
    index.push({ name, dtype: t.dtype as CheckpointDtype, shape: [...t.shape], offset, byteLength: t.size * 4 });
    offset += t.size * 4;
  }
  const bytes = new Uint8Array(offset);
  // One tensor read at a time keeps peak memory at one copy of the weights plus one tensor.
  for (const entry of index) {
    const values = await weights[entry.name].data();
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, entry.byteLength), entry.offset);
  }
  // The format is little-endian; typed arrays use the host order.
  if (endianness() === 'BE') Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap32();
  return { bytes, index };
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

async function withWriteError<T>(dir: string, file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new CheckpointError('write_failed', `saveCheckpoint: writing ${file === dir ? `directory ${dir}` : `${file} in ${dir}`} failed (the previous checkpoint is unchanged): ${(e as Error).message}`, file === dir ? undefined : file, { cause: e });
  }
}

/** Deletes data files the new manifest does not list and temp files of interrupted saves. Best effort. */
async function removeStaleFiles(dir: string, keep: Set<string>): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names
    .filter((n) => !keep.has(n) && (DATA_FILE_PATTERN.test(n) || TEMP_FILE_PATTERN.test(n)))
    .map((n) => unlink(join(dir, n)).catch(() => undefined)));
}

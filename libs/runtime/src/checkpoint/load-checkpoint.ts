import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';
import {
  CHECKPOINT_DTYPES, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, DATA_FILE_PATTERN, MANIFEST_FILE,
  type CheckpointFileRole, type CheckpointManifest, type ManifestFileEntry, type TensorIndexEntry,
} from './checkpoint-format.js';
import type { JsonValue } from './json-value.js';

const ROLES: CheckpointFileRole[] = ['weights', 'tensors', 'config', 'metadata'];

/** A checkpoint whose files all matched its manifest (see {@link verifyCheckpoint}). */
export interface VerifiedCheckpoint<Config extends JsonValue = JsonValue> {
  dir: string;
  manifest: CheckpointManifest;
  tensors: TensorIndexEntry[];
  config: Config;
  metadata: { [key: string]: JsonValue };
}

/** A verified checkpoint with its tensors (see {@link loadCheckpoint}). */
export interface LoadedCheckpoint<Config extends JsonValue = JsonValue> extends VerifiedCheckpoint<Config> {
  /** New tensors on the active backend; the caller owns and disposes them. */
  weights: Record<string, tf.Tensor>;
}

/**
 * Loads a checkpoint written by saveCheckpoint after verifying it: every file the manifest lists must be
 * present with its exact size and sha256, and every tensor's dtype and shape must match its byte range.
 * Anything else throws a {@link CheckpointError} whose `code` says what failed and whose `file` names the file.
 *
 * ```ts
 * const ckpt = await loadCheckpoint<MyConfig>('runs/ctr-v3');
 * model.setWeights(ckpt.weights);
 * Object.values(ckpt.weights).forEach((t) => t.dispose());
 * ```
 */
export async function loadCheckpoint<Config extends JsonValue = JsonValue>(dir: string): Promise<LoadedCheckpoint<Config>> {
  const { verified, weightBytes } = await readVerified<Config>(dir, 'loadCheckpoint');
  const weights: Record<string, tf.Tensor> = {};
  try {
    for (const entry of verified.tensors) {
      // Copy out of the file buffer (a Buffer's slice() is a view into a shared pool): typed arrays need
      // 4-byte alignment and the tensor must own its data.
      const raw = new Uint8Array(entry.byteLength);
      raw.set(weightBytes.subarray(entry.offset, entry.offset + entry.byteLength));
      if (endianness() === 'BE') Buffer.from(raw.buffer).swap32();
      const values = entry.dtype === 'int32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer);
      weights[entry.name] = tf.tensor(values, entry.shape, entry.dtype);
    }
  } catch (e) {
    Object.values(weights).forEach((t) => t.dispose());
    throw e;
  }
  return { ...verified, weights };
}

/** Verifies a checkpoint as loadCheckpoint does, without creating tensors (for registries and health checks). */
export async function verifyCheckpoint<Config extends JsonValue = JsonValue>(dir: string): Promise<VerifiedCheckpoint<Config>> {
  return (await readVerified<Config>(dir, 'verifyCheckpoint')).verified;
}

async function readVerified<Config extends JsonValue>(dir: string, caller: 'loadCheckpoint' | 'verifyCheckpoint'): Promise<{ verified: VerifiedCheckpoint<Config>; weightBytes: Uint8Array }> {
  if (typeof dir !== 'string' || dir.length === 0) throw new CheckpointError('invalid_argument', `${caller}: dir must be a non-empty path, got ${JSON.stringify(dir)}`);
  const manifest = await readManifest(dir);
  const contents = {} as Record<CheckpointFileRole, Uint8Array>;
  for (const entry of manifest.files) contents[entry.role] = await readChecked(dir, entry);
  const tensors = parseIndex(contents.tensors, fileOf(manifest, 'tensors'), contents.weights.byteLength);
  const config = parseJson(contents.config, fileOf(manifest, 'config')) as Config;
  const metadata = parseJson(contents.metadata, fileOf(manifest, 'metadata'));
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new CheckpointError('content_invalid', `${fileOf(manifest, 'metadata')}: expected a JSON object`, fileOf(manifest, 'metadata'));
  }
  return { verified: { dir, manifest, tensors, config, metadata: metadata as { [key: string]: JsonValue } }, weightBytes: contents.weights };
}

async function readManifest(dir: string): Promise<CheckpointManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw new CheckpointError('manifest_invalid', `${MANIFEST_FILE} in ${dir} cannot be read: ${(e as Error).message}`, MANIFEST_FILE, { cause: e });
    const dirExists = await stat(dir).then((s) => s.isDirectory(), () => false);
    throw new CheckpointError('manifest_missing', dirExists ? `${dir} is not a checkpoint: it has no ${MANIFEST_FILE}` : `checkpoint directory ${dir} does not exist`, MANIFEST_FILE);
  }
  const bad = (what: string): CheckpointError => new CheckpointError('manifest_invalid', `${MANIFEST_FILE} in ${dir}: ${what}`, MANIFEST_FILE);
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message}); the file is ${text.length} bytes`);
  }
  if (m === null || typeof m !== 'object') throw bad(`expected an object, got ${m === null ? 'null' : typeof m}`);
  const { format, version, createdAt, files } = m as Record<string, unknown>;
  if (format !== CHECKPOINT_FORMAT) throw bad(`format must be '${CHECKPOINT_FORMAT}', got ${JSON.stringify(format)}`);
  if (version !== CHECKPOINT_VERSION) throw bad(`version ${JSON.stringify(version)} is not supported (this reader knows ${CHECKPOINT_VERSION})`);
  if (typeof createdAt !== 'string') throw bad(`createdAt must be a string, got ${typeof createdAt}`);
  if (!Array.isArray(files)) throw bad(`files must be an array, got ${typeof files}`);
  const entries = files.map((f, i) => checkFileEntry(f, i, bad));
  for (const role of ROLES) {
    const n = entries.filter((e) => e.role === role).length;
    if (n !== 1) throw bad(`files must list exactly one '${role}' file, found ${n}`);
  }
  return { format, version, createdAt, files: entries };
}

function checkFileEntry(f: unknown, i: number, bad: (what: string) => CheckpointError): ManifestFileEntry {
  if (f === null || typeof f !== 'object') throw bad(`files[${i}] must be an object`);
  const { role, path, bytes, sha256 } = f as Record<string, unknown>;
  if (!ROLES.includes(role as CheckpointFileRole)) throw bad(`files[${i}].role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  // The name pattern also rules out '../' and absolute paths: a manifest can only point inside its directory.
  if (typeof path !== 'string' || !DATA_FILE_PATTERN.test(path)) throw bad(`files[${i}].path must be a data file name like 'weights.<16 hex>.bin', got ${JSON.stringify(path)}`);
  if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) throw bad(`files[${i}].bytes must be a non-negative integer, got ${JSON.stringify(bytes)}`);
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw bad(`files[${i}].sha256 must be 64 hex digits, got ${JSON.stringify(sha256)}`);
  return { role: role as CheckpointFileRole, path, bytes: bytes as number, sha256 };
}

async function readChecked(dir: string, entry: ManifestFileEntry): Promise<Uint8Array> {
  let data: Uint8Array;
  try {
    data = await readFile(join(dir, entry.path));
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CheckpointError(code === 'ENOENT' ? 'file_missing' : 'file_unreadable', `${entry.path} (${entry.role}) listed in ${MANIFEST_FILE} ${code === 'ENOENT' ? 'is missing' : `cannot be read: ${(e as Error).message}`} in ${dir}`, entry.path, { cause: e });
  }
  if (data.byteLength !== entry.bytes) {
    const how = data.byteLength < entry.bytes ? 'truncated' : 'longer than written';
    throw new CheckpointError('size_mismatch', `${entry.path} (${entry.role}) is ${how}: ${data.byteLength} bytes on disk, ${MANIFEST_FILE} says ${entry.bytes}`, entry.path);
  }
  const sha = createHash('sha256').update(data).digest('hex');
  if (sha !== entry.sha256) {
    throw new CheckpointError('checksum_mismatch', `${entry.path} (${entry.role}) was altered or corrupted: sha256 ${sha}, ${MANIFEST_FILE} says ${entry.sha256}`, entry.path);
  }
  return data;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new CheckpointError('content_invalid', `${file}: not valid JSON (${(e as Error).message})`, file);
  }
}

/** Checks the index against the data: dtypes, shapes × 4 bytes = byte ranges, ranges tile the file exactly. */
function parseIndex(bytes: Uint8Array, file: string, weightBytes: number): TensorIndexEntry[] {
  const raw = parseJson(bytes, file);
  const bad = (what: string, code: 'content_invalid' | 'shape_mismatch' = 'content_invalid'): CheckpointError => new CheckpointError(code, `${file}: ${what}`, file);
  if (!Array.isArray(raw)) throw bad('expected an array of tensor entries');
  const seen = new Set<string>();
  const entries = raw.map((r: unknown, i): TensorIndexEntry => {
    if (r === null || typeof r !== 'object') throw bad(`entry ${i} must be an object`);
    const { name, dtype, shape, offset, byteLength } = r as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0) throw bad(`entry ${i}: name must be a non-empty string`);
    if (seen.has(name)) throw bad(`tensor '${name}' appears twice`);
    seen.add(name);
    if (!(CHECKPOINT_DTYPES as readonly unknown[]).includes(dtype)) throw bad(`tensor '${name}': dtype must be one of ${CHECKPOINT_DTYPES.join(', ')}, got ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(byteLength)) throw bad(`tensor '${name}': offset and byteLength must be integers`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (byteLength !== size * 4) throw bad(`tensor '${name}': shape [${shape}] needs ${size * 4} bytes of ${dtype}, the index gives ${byteLength}`, 'shape_mismatch');
    return { name, dtype: dtype as TensorIndexEntry['dtype'], shape: shape as number[], offset: offset as number, byteLength: byteLength as number };
  });
  let end = 0;
  for (const e of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (e.offset !== end) throw bad(`tensor '${e.name}' starts at byte ${e.offset}, expected ${end} (ranges must tile the weights file)`, 'shape_mismatch');
    end += e.byteLength;
  }
  if (end !== weightBytes) throw bad(`tensors cover ${end} bytes but the weights file has ${weightBytes}`, 'shape_mismatch');
  return entries;
}

function fileOf(manifest: CheckpointManifest, role: CheckpointFileRole): string {
  return manifest.files.find((f) => f.role === role)?.path ?? role;
}

import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { CtrModel } from '../model/ctr-model.js';

/** A model's full mutable state on the host: every named weight (dense, BN statistics, routing centres) and the embedding table. */
export interface HostWeights {
  tensors: { name: string; shape: number[]; values: Float32Array }[];
  table: Float32Array;
}

/** Reads a model's state to the host (async: backends such as webgpu cannot read back synchronously). */
export async function readHostWeights(model: CtrModel): Promise<HostWeights> {
  const weights = model.getWeights();
  try {
    const names = Object.keys(weights).sort();
    const values = await Promise.all(names.map((n) => weights[n].data()));
    return { tensors: names.map((name, i) => ({ name, shape: [...weights[name].shape], values: Float32Array.from(values[i]) })), table: model.table.data.slice() };
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Puts host weights back into the model (synchronous: tensors are created from host arrays). */
export function applyHostWeights(model: CtrModel, host: HostWeights): void {
  const record: Record<string, tf.Tensor> = {};
  try {
    for (const t of host.tensors) record[t.name] = tf.tensor(t.values, t.shape, 'float32');
    model.setWeights(record);
    model.table.load(host.table);
  } finally {
    tf.dispose(Object.values(record));
  }
}

function encode(host: HostWeights): Buffer {
  const header = Buffer.from(JSON.stringify({ tensors: host.tensors.map((t) => ({ name: t.name, shape: t.shape, length: t.values.length })), table: host.table.length }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  return Buffer.concat([len, header, ...host.tensors.map((t) => Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength)), Buffer.from(host.table.buffer, host.table.byteOffset, host.table.byteLength)]);
}

function decode(bytes: Buffer, where: string): HostWeights {
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { tensors: { name: string; shape: number[]; length: number }[]; table: number };
  let offset = 4 + headerLength;
  const take = (n: number): Float32Array => {
    if (offset + n * 4 > bytes.length) throw new Error(`${where}: truncated weights file`);
    // Copy into an aligned buffer: the Buffer's offset is not necessarily a multiple of 4.
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + n * 4));
    offset += n * 4;
    return out;
  };
  const tensors = header.tensors.map((t) => ({ name: t.name, shape: t.shape, values: take(t.length) }));
  return { tensors, table: take(header.table) };
}

/**
 * Content-addressed weight files beside a worker's checkpoint. The checkpoint (written by the worker runtime
 * in one atomic commit) names a file and its sha256; files are written (fsync + rename) before the commit that
 * names them, so a crash at any point leaves the committed checkpoint pointing at a complete file. Files that
 * no recent checkpoint names are removed.
 */
export class WeightFiles {
  private readonly recent: string[] = [];
  private readonly pinned = new Set<string>();

  constructor(readonly dir: string, private readonly keep = 3) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Writes a weights file and returns its name and sha256. A `pinned` file (the starting weights, which a
   * first-start restore returns to) is never removed; writing another file removes those no recent
   * checkpoint names.
   */
  write(host: HostWeights, options: { pinned?: boolean } = {}): { file: string; sha256: string } {
    const bytes = encode(host);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = `weights-${sha256.slice(0, 24)}.bin`;
    const path = join(this.dir, file);
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    if (options.pinned) this.pinned.add(file);
    else {
      this.remember(file);
      this.collect();
    }
    return { file, sha256 };
  }

  read(ref: { file: string; sha256: string }): HostWeights {
    const path = join(this.dir, ref.file);
    const bytes = readFileSync(path);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== ref.sha256) throw new Error(`${path}: sha256 ${actual} does not match the checkpoint's ${ref.sha256} (corrupt weights file)`);
    this.remember(ref.file);
    return decode(bytes, path);
  }

  /** The files named by the last few checkpoints (the committed one, and one in flight) are kept. */
  private remember(file: string): void {
    const i = this.recent.indexOf(file);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.push(file);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
  }

  /** Removes weight files (and temp files of interrupted writes) that are neither pinned nor recent. */
  private collect(): void {
    for (const name of readdirSync(this.dir)) {
      if (/^weights-[0-9a-f]+\.bin(\..*\.tmp)?$/.test(name) && !this.recent.includes(name) && !this.pinned.has(name)) rmSync(join(this.dir, name), { force: true });
    }
  }
}

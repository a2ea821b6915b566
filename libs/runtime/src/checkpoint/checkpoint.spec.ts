import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@moe/testing';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError, type CheckpointErrorCode } from './checkpoint-error.js';
import type { CheckpointManifest } from './checkpoint-format.js';
import { loadCheckpoint, verifyCheckpoint } from './load-checkpoint.js';
import { saveCheckpoint } from './save-checkpoint.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moe-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Float32 values that lose bits through any float64 or text round trip. */
const TRICKY = new Float32Array([0, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, 1 / 3, -2.5e-39, Math.PI]);

function bytesOf(values: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

async function expectRefused(code: CheckpointErrorCode, file: RegExp | string | undefined, message: RegExp): Promise<void> {
  const error = await loadCheckpoint(dir).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointError);
  const e = error as CheckpointError;
  expect({ code: e.code, message: e.message }).toMatchObject({ code, message: expect.stringMatching(message) });
  if (file instanceof RegExp) expect(e.file).toMatch(file);
  else expect(e.file).toBe(file);
}

async function manifest(): Promise<CheckpointManifest> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as CheckpointManifest;
}

async function fileFor(role: string): Promise<string> {
  const m = await manifest();
  return m.files.find((f) => f.role === role)!.path;
}

describeEachBackend('checkpoint round trip', () => {
  it('gives back bit-identical float32/int32 tensors of every shape, config and metadata, with no leaks', async () => {
    const weights: Record<string, tf.Tensor> = {
      'experts.w1': tf.tensor(TRICKY, [2, 5]),
      'router.bias': tf.tensor([-2147483648, 2147483647, 0, -1], [4], 'int32'),
      scalar: tf.scalar(-0.1),
      empty: tf.zeros([0, 3]),
      big: tf.randomNormal([33, 17], 0, 1, 'float32', 3),
    };
    const config = { kind: 'MoELayer', experts: 8, k: 2, nested: { list: [1, 'a', null, true] } };
    await expectNoLeaks(async () => {
      await saveCheckpoint(dir, { config, weights, metadata: { auc: 0.79, note: 'é' } });
    }, 'saveCheckpoint');
    const loaded = await expectNoLeaks(() => loadCheckpoint(dir), 'loadCheckpoint');
    try {
      expect(loaded.config).toEqual(config);
      expect(loaded.metadata).toEqual({ auc: 0.79, note: 'é' });
      expect(Object.keys(loaded.weights).sort()).toEqual(Object.keys(weights).sort());
      for (const [name, t] of Object.entries(weights)) {
        const back = loaded.weights[name];
        expect({ name, shape: back.shape, dtype: back.dtype }).toEqual({ name, shape: t.shape, dtype: t.dtype });
        expect(bytesOf(await back.data()), name).toEqual(bytesOf(await t.data()));
      }
    } finally {
      Object.values(weights).forEach((t) => t.dispose());
      Object.values(loaded.weights).forEach((t) => t.dispose());
    }
  });
});

describe('saveCheckpoint', () => {
  it('writes weights, tensor index, config, metadata and a manifest with the sha256 of each, and no temp files', async () => {
    const w = tf.ones([3]);
    const saved = await saveCheckpoint(dir, { config: { a: 1 }, weights: { w } });
    w.dispose();
    const m = await manifest();
    expect(m).toMatchObject({ format: 'moe-checkpoint', version: 1 });
    expect(m.files.map((f) => f.role).sort()).toEqual(['config', 'metadata', 'tensors', 'weights']);
    for (const f of m.files) {
      const data = await readFile(join(dir, f.path));
      expect(data.byteLength).toBe(f.bytes);
      expect(createHash('sha256').update(data).digest('hex')).toBe(f.sha256);
    }
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', ...m.files.map((f) => f.path)].sort());
    expect(saved.tensors).toEqual([{ name: 'w', dtype: 'float32', shape: [3], offset: 0, byteLength: 12 }]);
  });

  it('replaces a previous checkpoint, removing its files but nothing it did not write', async () => {
    const a = tf.fill([4], 1);
    const b = tf.fill([4], 2);
    await saveCheckpoint(dir, { config: { v: 1 }, weights: { w: a } });
    await writeFile(join(dir, 'NOTES.txt'), 'kept');
    await saveCheckpoint(dir, { config: { v: 2 }, weights: { w: b } });
    a.dispose();
    b.dispose();
    const loaded = await loadCheckpoint(dir);
    expect(loaded.config).toEqual({ v: 2 });
    expect(Array.from(await loaded.weights.w.data())).toEqual([2, 2, 2, 2]);
    loaded.weights.w.dispose();
    expect((await readdir(dir)).length).toBe(6);
    expect(await readFile(join(dir, 'NOTES.txt'), 'utf8')).toBe('kept');
  });

  it('leaves the previous checkpoint loadable when a save fails before the manifest swap, and cleans up on the next save', async () => {
    const v1 = tf.fill([8], 1);
    const v2 = tf.fill([8], 2);
    await saveCheckpoint(dir, { config: { v: 1 }, weights: { w: v1 } });
    let written = 0;
    await expect(saveCheckpoint(dir, { config: { v: 2 }, weights: { w: v2 } }, {
      onFileWritten: () => {
        if (++written === 2) throw new Error('simulated crash');
      },
    })).rejects.toThrow('simulated crash');
    const loaded = await loadCheckpoint(dir);
    expect(loaded.config).toEqual({ v: 1 });
    expect(Array.from(await loaded.weights.w.data())).toEqual(new Array(8).fill(1));
    loaded.weights.w.dispose();
    await writeFile(join(dir, 'weights.0123456789abcdef.bin.tmp-1a-2b'), 'partial write of a crashed process');
    await saveCheckpoint(dir, { config: { v: 3 }, weights: { w: v2 } });
    v1.dispose();
    v2.dispose();
    expect((await readdir(dir)).length).toBe(5);
  });

  it('survives a real crash (SIGKILL) in the middle of a save', async () => {
    const v1 = tf.fill([64], 1);
    await saveCheckpoint(dir, { config: { version: 'good' }, weights: { w: v1 } });
    v1.dispose();
    const fixture = fileURLToPath(new URL('./crash-mid-save.fixture.ts', import.meta.url));
    const run = promisify(execFile)(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', fixture, dir, '3']);
    await expect(run).rejects.toMatchObject({ signal: 'SIGKILL' });
    const names = await readdir(dir);
    expect(names.length).toBeGreaterThan(5); // the crashed save did leave new files behind...
    const loaded = await loadCheckpoint(dir); // ...but the manifest still names the old, complete ones
    expect(loaded.config).toEqual({ version: 'good' });
    expect(Array.from(await loaded.weights.w.data())).toEqual(new Array(64).fill(1));
    loaded.weights.w.dispose();
  }, 30_000);

  it('rejects bad input naming the field', async () => {
    const t = tf.ones([2]);
    const bool = tf.tensor([true, false], [2], 'bool');
    const disposed = tf.ones([1]);
    disposed.dispose();
    const bad = (content: Parameters<typeof saveCheckpoint>[1]) => saveCheckpoint(dir, content).then(() => undefined, (e: CheckpointError) => `${e.code}: ${e.message}`);
    expect(await bad({ config: { layers: [{ act: (() => 1) as unknown as number }] }, weights: { t } })).toBe('invalid_argument: config.layers[0].act: expected a JSON value, got function');
    expect(await bad({ config: { lr: NaN }, weights: { t } })).toBe('invalid_argument: config.lr: expected a finite number, got NaN');
    expect(await bad({ config: {}, weights: { mask: bool } })).toBe('invalid_argument: weights.mask: dtype must be one of float32, int32, got bool');
    expect(await bad({ config: {}, weights: { gone: disposed } })).toBe('invalid_argument: weights.gone: the tensor is disposed');
    expect(await bad({ config: {}, weights: { x: [1, 2] as unknown as tf.Tensor } })).toBe('invalid_argument: weights.x: expected a tf.Tensor, got object');
    expect(await bad({ config: {}, weights: { t }, metadata: { when: new Date(0) as unknown as string } })).toMatch(/^invalid_argument: metadata.when: expected a plain object, got an instance of Date/);
    t.dispose();
    bool.dispose();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('loadCheckpoint refuses a damaged checkpoint, naming the file and what failed', () => {
  beforeEach(async () => {
    const w = tf.range(0, 100);
    const i = tf.tensor([1, 2, 3], [3], 'int32');
    await saveCheckpoint(dir, { config: { d: 10 }, weights: { w, i } });
    w.dispose();
    i.dispose();
  });

  it('a truncated weights file', async () => {
    const f = await fileFor('weights');
    await truncate(join(dir, f), 100);
    await expectRefused('size_mismatch', f, /is truncated: 100 bytes on disk, manifest.json says 412/);
  });

  it('an altered byte (same size)', async () => {
    const f = await fileFor('weights');
    const data = await readFile(join(dir, f));
    data[17] ^= 1;
    await writeFile(join(dir, f), data);
    await expectRefused('checksum_mismatch', f, /was altered or corrupted: sha256 [0-9a-f]{64}, manifest.json says/);
  });

  it('an altered config', async () => {
    const f = await fileFor('config');
    await writeFile(join(dir, f), (await readFile(join(dir, f), 'utf8')).replace('10', '99'));
    await expectRefused('checksum_mismatch', f, /\(config\) was altered/);
  });

  it('a missing file', async () => {
    const f = await fileFor('tensors');
    await unlink(join(dir, f));
    await expectRefused('file_missing', f, /\(tensors\) listed in manifest.json is missing/);
  });

  it('a missing or garbled manifest, and one pointing outside the directory', async () => {
    const text = await readFile(join(dir, 'manifest.json'), 'utf8');
    await writeFile(join(dir, 'manifest.json'), text.slice(0, 40));
    await expectRefused('manifest_invalid', 'manifest.json', /not valid JSON/);
    await writeFile(join(dir, 'manifest.json'), text.replace(/"weights\.[0-9a-f]{16}\.bin"/, '"../../etc/passwd"'));
    await expectRefused('manifest_invalid', 'manifest.json', /files\[\d\]\.path must be a data file name/);
    await writeFile(join(dir, 'manifest.json'), text.replace('"version": 1', '"version": 2'));
    await expectRefused('manifest_invalid', 'manifest.json', /version 2 is not supported/);
    await unlink(join(dir, 'manifest.json'));
    await expectRefused('manifest_missing', 'manifest.json', /has no manifest.json/);
    await expect(loadCheckpoint(join(dir, 'nope'))).rejects.toThrow(/checkpoint directory .*nope does not exist/);
  });

  it('a tensor index whose shapes disagree with the data (even with a matching checksum)', async () => {
    const f = await fileFor('tensors');
    const index = JSON.parse(await readFile(join(dir, f), 'utf8')) as { name: string; shape: number[] }[];
    index.find((e) => e.name === 'w')!.shape = [10, 11];
    const text = JSON.stringify(index);
    await writeFile(join(dir, f), text);
    const m = await manifest();
    const entry = m.files.find((x) => x.role === 'tensors')!;
    entry.bytes = Buffer.byteLength(text);
    entry.sha256 = createHash('sha256').update(text).digest('hex');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    await expectRefused('shape_mismatch', f, /tensor 'w': shape \[10,11\] needs 440 bytes of float32, the index gives 400/);
  });

  it('verifyCheckpoint checks the same without creating tensors', async () => {
    const before = tf.memory().numTensors;
    const v = await verifyCheckpoint(dir);
    expect(tf.memory().numTensors).toBe(before);
    expect(v.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([['i', 'int32', [3]], ['w', 'float32', [100]]]);
    await truncate(join(dir, await fileFor('config')), 1);
    await expect(verifyCheckpoint(dir)).rejects.toMatchObject({ code: 'size_mismatch' });
  });

  it('names the function that was called when dir is not a path', async () => {
    await expect(verifyCheckpoint('')).rejects.toMatchObject({ code: 'invalid_argument', message: 'verifyCheckpoint: dir must be a non-empty path, got ""' });
    await expect(loadCheckpoint(42 as unknown as string)).rejects.toMatchObject({ code: 'invalid_argument', message: 'loadCheckpoint: dir must be a non-empty path, got 42' });
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classFromFileName, readFeatureDir, readFeatureVideo, readLabelledFeatureDir, writeLabelledFeatureDir } from './feature-files.js';
import { NpyFormatError, parseNpy, writeNpy } from './npy.js';
import { DEFAULT_STREAM_CONFIG } from './synthetic-config.js';
import { createSyntheticWorld, generateSplit } from './synthetic-streams.js';

const dir = mkdtempSync(join(tmpdir(), 'anomaly-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A .npy written by hand the way numpy 1.x writes one (version 1.0 header padded to 64 bytes). */
function handMade(descr: string, shape: string, payload: Uint8Array, fortran = 'False', version = 1): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const pre = version === 1 ? 10 : 12;
  header += ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(payload, pre + header.length);
  return out;
}

describe('npy', () => {
  it('round-trips float32 and float64 arrays with the data 64-byte aligned', () => {
    const f32 = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 1);
    const bytes = writeNpy(f32, [3, 4]);
    expect((bytes.length - 48) % 64).toBe(0); // header block is a multiple of 64
    const back = parseNpy(bytes);
    expect(back.dtype).toBe('float32');
    expect(back.shape).toEqual([3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(f32));
    const f64 = Float64Array.from([Math.PI, -1e-300, 2]);
    const back64 = parseNpy(writeNpy(f64, [3]));
    expect(back64.dtype).toBe('float64');
    expect(back64.shape).toEqual([3]);
    expect(Array.from(back64.data)).toEqual(Array.from(f64));
  });

  it('reads big-endian data and version 2.0 headers', () => {
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setFloat32(0, 1.5, false);
    new DataView(payload.buffer).setFloat32(4, -2, false);
    expect(Array.from(parseNpy(handMade('>f4', '(1, 2)', payload)).data)).toEqual([1.5, -2]);
    const le = new Uint8Array(new Float64Array([7]).buffer);
    expect(Array.from(parseNpy(handMade('<f8', '(1,)', le, 'False', 2)).data)).toEqual([7]);
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 'x.npy')).toThrow(/x\.npy: not a \.npy file/);
    expect(() => parseNpy(handMade('<i4', '(2,)', new Uint8Array(8)), 'ints.npy')).toThrow(/ints\.npy: dtype '<i4': expected float32/);
    expect(() => parseNpy(handMade('<f4', '(2, 2)', new Uint8Array(16), 'True'))).toThrow(/fortran_order is True/);
    expect(() => parseNpy(handMade('<f4', '(2, 2)', new Uint8Array(12)))).toThrow(/needs 16 bytes, the file has 12/);
    expect(() => parseNpy(handMade('<f4', '(2, 2)', new Uint8Array(16)).subarray(0, 20))).toThrow(NpyFormatError);
    expect(() => writeNpy(new Float32Array(5), [2, 3])).toThrow(/shape \[2, 3\] needs 6 values, got 5/);
  });
});

describe('I3D-style feature folders', () => {
  it('reads one file per video, averaging 10-crop features, with the class from the UCF-style name', async () => {
    // [snippet t][crop c][dim d] = 100·t + c + d: the crop mean is 100·t + 4.5 + d.
    const crops = Float32Array.from({ length: 2 * 10 * 3 }, (_, i) => 100 * Math.floor(i / 30) + (Math.floor(i / 3) % 10) + (i % 3));
    writeFileSync(join(dir, 'Abuse028_x264.npy'), writeNpy(crops, [2, 10, 3]));
    const video = await readFeatureVideo(join(dir, 'Abuse028_x264.npy'), { label: 1, classIndex: 1 });
    expect(video.length).toBe(2);
    expect(video.dim).toBe(3);
    // The crops are averaged: each row holds the mean over crops of its values.
    expect(Array.from(video.features).map((v) => Math.round(v * 1000) / 1000)).toEqual([4.5, 5.5, 6.5, 104.5, 105.5, 106.5]);
    expect(classFromFileName('Normal_Videos_003_x264.npy')).toBe('normal');
    expect(classFromFileName('RoadAccidents012_x264.npy')).toBe('roadaccidents');
  });

  it('writes and reads back a labelled split with its snippet truth', async () => {
    const world = createSyntheticWorld({ ...DEFAULT_STREAM_CONFIG, dim: 8, length: [16, 24] }, 3);
    const split = generateSplit(world, { normal: 3, anomalousPerClass: 2 }, 'test');
    const folder = join(dir, 'split');
    await writeLabelledFeatureDir(folder, split);
    const back = await readLabelledFeatureDir(folder, split.classes);
    expect(back.videos).toHaveLength(split.videos.length);
    expect(back.dim).toBe(8);
    const byTruth = (v: { truth?: Uint8Array }) => Array.from(v.truth ?? []).join('');
    expect(back.videos.map(byTruth).sort()).toEqual(split.videos.map(byTruth).sort());
    expect(back.videos.filter((v) => v.label === 1)).toHaveLength(2 * split.classes.length - 2);
  });

  it('refuses a folder whose files disagree on the feature dimension or hold an unknown class', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'Normal_Videos_1.npy'), writeNpy(new Float32Array(4), [2, 2]));
    writeFileSync(join(bad, 'Normal_Videos_2.npy'), writeNpy(new Float32Array(6), [2, 3]));
    await expect(readFeatureDir(bad)).rejects.toThrow(/feature dimension differs between files/);
    await expect(readFeatureDir(dir, ['normal', 'fighting'])).rejects.toThrow(/class 'abuse' is not one of normal, fighting/);
  });
});

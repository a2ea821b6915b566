import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NpyFormatError, parseNpy, writeNpy } from './npy.js';
import type { SnippetVideo, VideoDataset } from './video.js';

/**
 * I3D-style feature files: one `.npy` per video, shape [T, D] (one row per snippet) or [T, crops, D] (10-crop
 * UCF-Crime / 5-crop XD-Violence features, averaged over the crops here, as UR-DMU's test does with its crop
 * predictions). The class comes from the file name as in UCF-Crime (`Abuse028_x264.npy` → `abuse`;
 * `Normal_Videos_003_x264.npy` → normal), unless a label map says otherwise.
 */
export async function readFeatureVideo(path: string, label: { label: 0 | 1; classIndex: number }): Promise<SnippetVideo> {
  const array = parseNpy(new Uint8Array(await readFile(path)), path);
  const { shape, data } = array;
  if (shape.length !== 2 && shape.length !== 3) throw new NpyFormatError(path, `shape (${shape.join(', ')}): expected [snippets, dim] or [snippets, crops, dim]`);
  const length = shape[0];
  const dim = shape[shape.length - 1];
  const crops = shape.length === 3 ? shape[1] : 1;
  if (length < 1 || dim < 1 || crops < 1) throw new NpyFormatError(path, `shape (${shape.join(', ')}): expected every dimension ≥ 1`);
  const features = new Float32Array(length * dim);
  for (let t = 0; t < length; t++) {
    for (let c = 0; c < crops; c++) for (let d = 0; d < dim; d++) features[t * dim + d] += data[(t * crops + c) * dim + d] / crops;
  }
  for (let i = 0; i < features.length; i++) {
    if (!Number.isFinite(features[i])) throw new NpyFormatError(path, `value at snippet ${Math.floor(i / dim)}, dim ${i % dim}: expected a finite number, got ${features[i]}`);
  }
  return { name: basename(path).replace(/\.npy$/i, ''), features, length, dim, ...label };
}

/** The class name a UCF-Crime style file name carries (`Abuse028_x264` → 'abuse'; `Normal_Videos…` → 'normal'). */
export function classFromFileName(name: string): string {
  const stem = basename(name).replace(/\.npy$/i, '');
  if (/^normal/i.test(stem)) return 'normal';
  const m = /^([A-Za-z]+)/.exec(stem);
  if (!m) throw new RangeError(`file '${name}': cannot read a class from the name (expected e.g. Abuse028_x264.npy or Normal_Videos_003.npy)`);
  return m[1].toLowerCase();
}

/**
 * Reads every `.npy` in `dir` (sorted by name). Classes come from the names; `classes` fixes their order
 * (normal first) and refuses unknown ones, else they are collected in alphabetical order.
 */
export async function readFeatureDir(dir: string, classes?: readonly string[]): Promise<VideoDataset> {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.npy')).sort();
  if (files.length === 0) throw new RangeError(`${dir}: expected .npy feature files, found none`);
  const names = files.map(classFromFileName);
  const classList = classes ?? ['normal', ...[...new Set(names.filter((n) => n !== 'normal'))].sort()];
  if (classList[0] !== 'normal') throw new RangeError(`classes: expected 'normal' first, got '${classList[0]}'`);
  const videos: SnippetVideo[] = [];
  for (let i = 0; i < files.length; i++) {
    const classIndex = classList.indexOf(names[i]);
    if (classIndex < 0) throw new RangeError(`${join(dir, files[i])}: class '${names[i]}' is not one of ${classList.join(', ')}`);
    videos.push(await readFeatureVideo(join(dir, files[i]), { label: classIndex === 0 ? 0 : 1, classIndex }));
  }
  const dim = videos[0].dim;
  const other = videos.find((v) => v.dim !== dim);
  if (other) throw new RangeError(`${dir}: feature dimension differs between files (${videos[0].name}: ${dim}, ${other.name}: ${other.dim})`);
  return { dim, classes: classList, videos };
}

/** Writes a dataset as one float32 `.npy` per video (`<Class><index>_x264.npy`, as UCF-Crime names them). */
export async function writeFeatureDir(dir: string, dataset: VideoDataset): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (let i = 0; i < dataset.videos.length; i++) {
    const v = dataset.videos[i];
    const cls = dataset.classes[v.classIndex];
    const stem = cls === 'normal' ? `Normal_Videos_${String(i).padStart(4, '0')}_x264` : `${cls[0].toUpperCase()}${cls.slice(1)}${String(i).padStart(4, '0')}_x264`;
    const path = join(dir, `${stem}.npy`);
    await writeFile(path, writeNpy(v.features, [v.length, v.dim]));
    written.push(path);
  }
  return written;
}

/** `truth.json` beside the .npy files: per-snippet 0/1 labels by video name (test and validation folders). */
export const TRUTH_FILE = 'truth.json';

/** Reads a feature folder and attaches the snippet truth of `truth.json` when the folder has one. */
export async function readLabelledFeatureDir(dir: string, classes?: readonly string[]): Promise<VideoDataset> {
  const dataset = await readFeatureDir(dir, classes);
  let truth: Record<string, number[]>;
  try {
    truth = JSON.parse(await readFile(join(dir, TRUTH_FILE), 'utf8')) as Record<string, number[]>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return dataset;
    throw new RangeError(`${join(dir, TRUTH_FILE)}: ${(e as Error).message}`);
  }
  const videos = dataset.videos.map((v) => {
    const t = truth[v.name];
    if (t === undefined) return v;
    if (!Array.isArray(t) || t.length !== v.length || t.some((x) => x !== 0 && x !== 1)) throw new RangeError(`${join(dir, TRUTH_FILE)} '${v.name}': expected ${v.length} labels of 0 or 1`);
    return { ...v, truth: Uint8Array.from(t) };
  });
  return { ...dataset, videos };
}

/** Writes a split as .npy files plus its `truth.json`. */
export async function writeLabelledFeatureDir(dir: string, dataset: VideoDataset): Promise<string[]> {
  const files = await writeFeatureDir(dir, dataset);
  const truth: Record<string, number[]> = {};
  dataset.videos.forEach((v, i) => {
    if (v.truth) truth[basename(files[i]).replace(/\.npy$/, '')] = Array.from(v.truth);
  });
  await writeFile(join(dir, TRUTH_FILE), JSON.stringify(truth));
  return files;
}

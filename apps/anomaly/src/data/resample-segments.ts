import type { SnippetVideo } from './video.js';

/**
 * A video resampled to exactly `segments` rows, as UR-DMU trains (T = 200 there): the snippets are split into
 * `segments` uniform chunks and each chunk is mean-pooled; a chunk that holds no snippet (a video shorter than
 * `segments`) takes the snippet it falls on. Training only: evaluation scores every native snippet.
 */
export function resampleSegments(video: SnippetVideo, segments: number): Float32Array {
  if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`segments: expected a positive integer, got ${segments}`);
  const { length, dim, features } = video;
  const out = new Float32Array(segments * dim);
  for (let s = 0; s < segments; s++) {
    const start = Math.floor((s * length) / segments);
    const end = Math.max(start + 1, Math.floor(((s + 1) * length) / segments));
    for (let t = start; t < end; t++) for (let d = 0; d < dim; d++) out[s * dim + d] += features[t * dim + d] / (end - start);
  }
  return out;
}

import * as tf from '@tensorflow/tfjs-core';
import { disposeOutput, topExpert, type AnomalyModel } from '../model/anomaly-model.js';
import type { SnippetVideo } from '../data/video.js';

/** One video's scores: anomaly probability and the expert that fired (1-based class; 0 = none) per snippet. */
export interface VideoScores {
  readonly scores: Float32Array;
  readonly topExpert: Int32Array;
}

/**
 * Scores every native snippet of each video, `batchVideos` at a time, padding shorter videos with zero rows at
 * the end (the model is causal, so padding after a snippet never changes its score).
 */
export async function scoreVideos(model: AnomalyModel, videos: readonly SnippetVideo[], batchVideos = 64): Promise<VideoScores[]> {
  const out: VideoScores[] = [];
  const dim = model.config.inputDim;
  for (let start = 0; start < videos.length; start += batchVideos) {
    const chunk = videos.slice(start, start + batchVideos);
    const length = Math.max(...chunk.map((v) => v.length));
    const data = new Float32Array(chunk.length * length * dim);
    chunk.forEach((v, i) => {
      if (v.dim !== dim) throw new RangeError(`video '${v.name}': feature dimension ${v.dim}, the model expects ${dim}`);
      data.set(v.features, i * length * dim);
    });
    const x = tf.tensor3d(data, [chunk.length, length, dim]);
    const output = model.apply(x);
    const top = topExpert(output);
    const [scores, experts] = await Promise.all([output.score.data(), top.data()]);
    tf.dispose([x, top]);
    disposeOutput(output);
    chunk.forEach((v, i) => {
      out.push({ scores: Float32Array.from(scores.subarray(i * length, i * length + v.length)), topExpert: Int32Array.from(experts.subarray(i * length, i * length + v.length)) });
    });
  }
  return out;
}

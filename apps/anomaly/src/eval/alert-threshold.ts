import type { VideoDataset } from '../data/video.js';
import type { VideoScores } from './score-videos.js';

/**
 * The snippet threshold with the best F1 on a (validation) split, for alerting: candidates are the distinct
 * scores, clipped to [0.05, 0.95] so that a degenerate model still gets a usable threshold.
 */
export function bestF1Threshold(dataset: VideoDataset, scored: readonly VideoScores[]): { threshold: number; f1: number } {
  const pairs: [number, number][] = [];
  dataset.videos.forEach((v, i) => {
    if (!v.truth) throw new RangeError(`video '${v.name}': snippet truth is needed to choose a threshold`);
    for (let t = 0; t < v.length; t++) pairs.push([scored[i].scores[t], v.truth[t]]);
  });
  pairs.sort((a, b) => b[0] - a[0]);
  const positives = pairs.reduce((n, p) => n + p[1], 0);
  let tp = 0;
  let best = { threshold: 0.5, f1: 0 };
  for (let i = 0; i < pairs.length; i++) {
    tp += pairs[i][1];
    if (i + 1 < pairs.length && pairs[i + 1][0] === pairs[i][0]) continue;
    const f1 = (2 * tp) / (i + 1 + positives);
    if (f1 > best.f1) best = { threshold: pairs[i][0], f1 };
  }
  return { threshold: Math.min(0.95, Math.max(0.05, best.threshold)), f1: best.f1 };
}

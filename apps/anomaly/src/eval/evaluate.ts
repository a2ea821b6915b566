import type { AnomalyModel } from '../model/anomaly-model.js';
import type { VideoDataset } from '../data/video.js';
import { apStep, apTrapezoid, rocAuc } from './metrics.js';
import { scoreVideos, type VideoScores } from './score-videos.js';

/** Snippet-level metrics of one model on one split (all over concatenated snippets). */
export interface AnomalyMetrics {
  /** ROC-AUC over every snippet of every video (UCF-Crime's "AUC"). */
  auc: number;
  /** auc(recall, precision), the trapezoid UR-DMU and GS-MoE call AP (XD-Violence's "AP"). */
  apTrapezoid: number;
  /** Step-wise average precision (sklearn average_precision_score). */
  apStep: number;
  /** ROC-AUC over the snippets of anomalous videos only (AUC_A). */
  aucAnomalous: number;
  /** Per anomaly class: ROC-AUC over that class's videos and every normal video. */
  perClassAuc: Record<string, number>;
  /** Share of truly anomalous snippets whose top expert is the video's class (NaN without experts). */
  expertAccuracy: number;
  snippets: number;
}

function requireTruth(dataset: VideoDataset): void {
  const missing = dataset.videos.find((v) => v.truth === undefined);
  if (missing) throw new RangeError(`video '${missing.name}': snippet-level truth is needed for evaluation`);
}

/** Metrics from already computed scores (so one forward pass serves several metrics). */
export function metricsFromScores(dataset: VideoDataset, scored: readonly VideoScores[]): AnomalyMetrics {
  requireTruth(dataset);
  const gather = (keep: (classIndex: number) => boolean) => {
    const s: number[] = [];
    const y: number[] = [];
    dataset.videos.forEach((v, i) => {
      if (!keep(v.classIndex)) return;
      const truth = v.truth!;
      for (let t = 0; t < v.length; t++) {
        s.push(scored[i].scores[t]);
        y.push(truth[t]);
      }
    });
    return { s, y };
  };
  const all = gather(() => true);
  const anomalous = gather((c) => c > 0);
  const perClassAuc: Record<string, number> = {};
  dataset.classes.forEach((name, c) => {
    if (c === 0) return;
    const part = gather((k) => k === 0 || k === c);
    perClassAuc[name] = rocAuc(part.s, part.y);
  });
  let hits = 0;
  let total = 0;
  let hasExperts = false;
  dataset.videos.forEach((v, i) => {
    for (let t = 0; t < v.length; t++) {
      if (scored[i].topExpert[t] !== 0) hasExperts = true;
      if (v.truth![t] === 1) {
        total++;
        if (scored[i].topExpert[t] === v.classIndex) hits++;
      }
    }
  });
  return {
    auc: rocAuc(all.s, all.y),
    apTrapezoid: apTrapezoid(all.s, all.y),
    apStep: apStep(all.s, all.y),
    aucAnomalous: rocAuc(anomalous.s, anomalous.y),
    perClassAuc,
    expertAccuracy: hasExperts && total > 0 ? hits / total : Number.NaN,
    snippets: all.s.length,
  };
}

export async function evaluateModel(model: AnomalyModel, dataset: VideoDataset): Promise<AnomalyMetrics> {
  return metricsFromScores(dataset, await scoreVideos(model, dataset.videos));
}

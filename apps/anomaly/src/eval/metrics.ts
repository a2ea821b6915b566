/**
 * Ranking metrics over concatenated snippets (reference vision.md §3.3). UR-DMU and GS-MoE repeat each snippet
 * score ×16 to frames before sklearn's ROC-AUC; repeating every (score, label) pair the same number of times
 * leaves the ROC and precision–recall curves unchanged, so the snippet-level figures here equal those
 * frame-level ones.
 */

/** ROC-AUC with ties counted half (Mann–Whitney U); NaN when one class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`rocAuc: ${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let m = i; m <= j; m++) if (labels[order[m]] > 0) {
      positives++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Precision–recall points in order of increasing recall: first (recall 0, precision 1) as sklearn appends it,
 * then one point per distinct score threshold, from the highest down.
 */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): { precision: number[]; recall: number[] } {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`precisionRecallCurve: ${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let total = 0;
  for (let i = 0; i < n; i++) if (labels[i] > 0) total++;
  const precision: number[] = [1];
  const recall: number[] = [0];
  if (total === 0) return { precision, recall };
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (labels[order[i]] > 0) tp++;
    else fp++;
    if (i + 1 < n && scores[order[i + 1]] === scores[order[i]]) continue;
    precision.push(tp / (tp + fp));
    recall.push(tp / total);
  }
  return { precision, recall };
}

/** "AP" as UR-DMU / GS-MoE compute it: sklearn `auc(recall, precision)`, the trapezoid under the PR curve. */
export function apTrapezoid(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(scores, labels);
  let area = 0;
  for (let i = 1; i < recall.length; i++) area += ((recall[i] - recall[i - 1]) * (precision[i] + precision[i - 1])) / 2;
  return area;
}

/** Step-wise average precision, sklearn `average_precision_score`: Σ (R_n − R_{n−1}) · P_n. */
export function apStep(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(scores, labels);
  let ap = 0;
  for (let i = 1; i < recall.length; i++) ap += (recall[i] - recall[i - 1]) * precision[i];
  return ap;
}

/**
 * Offline CTR metrics on plain arrays. All take predictions p̂ ∈ (0, 1) and labels y ∈ {0, 1}; rows whose
 * label is NaN (no label for that task) are skipped by every metric.
 */

function checkLengths(name: string, p: ArrayLike<number>, y: ArrayLike<number>): void {
  if (p.length !== y.length) throw new Error(`${name}: predictions have ${p.length} rows but labels have ${y.length}`);
}

/**
 * ROC AUC by the Mann–Whitney statistic with tied scores given their average rank, so ties count ½.
 * NaN when only one class is present.
 */
export function auc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths('auc', p, y);
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(y[i])) idx.push(i);
  idx.sort((a, b) => p[a] - p[b]);
  let pos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]] === p[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[idx[k]] === 1) {
        pos++;
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean binary cross-entropy (natural log), with p̂ clipped to [1e-7, 1 − 1e-7]. */
export function logloss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths('logloss', p, y);
  let total = 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (Number.isNaN(y[i])) continue;
    const q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
    total -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
    n++;
  }
  return n ? total / n : Number.NaN;
}

/** PCOC = mean(p̂) / mean(y): 1 is calibrated on average, > 1 over-predicts. */
export function pcoc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths('pcoc', p, y);
  let sp = 0;
  let sy = 0;
  for (let i = 0; i < p.length; i++) {
    if (Number.isNaN(y[i])) continue;
    sp += p[i];
    sy += y[i];
  }
  return sy > 0 ? sp / sy : Number.NaN;
}

/**
 * Expected calibration error over `bins` equal-mass bins of p̂: Σ_b (n_b / n) · |mean p̂_b − mean y_b|.
 * Equal-mass bins because CTR predictions crowd near 0, which leaves equal-width bins nearly empty.
 */
export function ece(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): number {
  checkLengths('ece', p, y);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`ece: bins expected a positive integer, got ${bins}`);
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(y[i])) idx.push(i);
  idx.sort((a, b) => p[a] - p[b]);
  const n = idx.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * n) / bins);
    const hi = Math.floor(((b + 1) * n) / bins);
    if (hi <= lo) continue;
    let sp = 0;
    let sy = 0;
    for (let k = lo; k < hi; k++) {
      sp += p[idx[k]];
      sy += y[idx[k]];
    }
    total += Math.abs(sp - sy) / n;
  }
  return total;
}

/**
 * Group AUC: AUC within each group (e.g. user) that has both classes, averaged with weights = the group's
 * number of rows (the usual impression-weighted GAUC). Rows with group −1 are ignored.
 */
export function gauc(p: ArrayLike<number>, y: ArrayLike<number>, groups: ArrayLike<number>): number {
  checkLengths('gauc', p, y);
  if (groups.length !== p.length) throw new Error(`gauc: groups have ${groups.length} rows, predictions ${p.length}`);
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < p.length; i++) {
    if (groups[i] < 0 || Number.isNaN(y[i])) continue;
    let list = byGroup.get(groups[i]);
    if (!list) byGroup.set(groups[i], (list = []));
    list.push(i);
  }
  let weighted = 0;
  let weight = 0;
  for (const rows of byGroup.values()) {
    const a = auc(rows.map((i) => p[i]), rows.map((i) => y[i]));
    if (Number.isNaN(a)) continue;
    weighted += a * rows.length;
    weight += rows.length;
  }
  return weight ? weighted / weight : Number.NaN;
}

/** Split merit functions (MOA `InfoGainSplitCriterion`, `GiniSplitCriterion`). */
export interface SplitCriterion {
  readonly name: 'infogain' | 'gini';
  merit(pre: ArrayLike<number>, post: ArrayLike<number>[]): number;
  /**
   * The part of the merit that depends on the pre-split distribution only (InfoGain: its entropy), so a
   * split evaluation computes it once for all its candidates.
   */
  preValue(pre: ArrayLike<number>): number;
  /** merit(pre, post[0..n)) given preValue(pre); allocates nothing, same arithmetic as `merit`. */
  meritFrom(preValue: number, post: ArrayLike<number>[], n: number): number;
  /** R in the Hoeffding bound, from the number of classes seen at the leaf. */
  range(classesSeen: number): number;
}

const LN2 = Math.log(2);
const log2 = (a: number) => Math.log(a) / LN2;

function sum(d: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s;
}

/** Entropy in bits, computed as MOA does (Σ −d·log2 d + S·log2 S) / S. */
export function entropy(dist: ArrayLike<number>): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < dist.length; i++) {
    const d = dist[i];
    if (d > 0) {
      e -= d * log2(d);
      s += d;
    }
  }
  return s > 0 ? (e + s * log2(s)) / s : 0;
}

/** Fills sums[i] with the weight of branch i (summed in MOA's order) and returns their total. */
function branchWeights(post: readonly ArrayLike<number>[], n: number, sums: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = sum(post[i]);
    sums[i] = w;
    total += w;
  }
  return total;
}

export function infoGain(minBranchFraction = 0.01): SplitCriterion {
  let sums = new Float64Array(8);
  const c: SplitCriterion = {
    name: 'infogain',
    merit: (pre, post) => c.meritFrom(entropy(pre), post, post.length),
    preValue: entropy,
    meritFrom(preEntropy, post, n) {
      if (sums.length < n) sums = new Float64Array(n);
      // MOA: fewer than two branches above the minimum fraction of the weight → −∞. The branch weights and
      // their total are summed in MOA's order once and serve both that check and the weighted entropy.
      const total = branchWeights(post, n, sums);
      let above = 0;
      for (let i = 0; i < n; i++) if (sums[i] / total > minBranchFraction) above++;
      if (above < 2) return -Infinity;
      let weighted = 0;
      for (let i = 0; i < n; i++) weighted += sums[i] * entropy(post[i]);
      return preEntropy - weighted / total;
    },
    range: (classesSeen) => log2(classesSeen > 2 ? classesSeen : 2),
  };
  return c;
}

export function gini(): SplitCriterion {
  const g = (d: ArrayLike<number>, s: number) => {
    let acc = 1;
    for (let i = 0; i < d.length; i++) acc -= (d[i] / s) * (d[i] / s);
    return acc;
  };
  let sums = new Float64Array(8);
  const c: SplitCriterion = {
    name: 'gini',
    merit: (_pre, post) => c.meritFrom(0, post, post.length),
    preValue: () => 0,
    meritFrom(_pre, post, n) {
      if (sums.length < n) sums = new Float64Array(n);
      const total = branchWeights(post, n, sums);
      let m = 1;
      for (let i = 0; i < n; i++) if (sums[i] > 0) m -= (sums[i] / total) * g(post[i], sums[i]);
      return m;
    },
    range: () => 1,
  };
  return c;
}

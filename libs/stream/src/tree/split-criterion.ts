/** Split merit functions (MOA `InfoGainSplitCriterion`, `GiniSplitCriterion`). */
export interface SplitCriterion {
  readonly name: 'infogain' | 'gini';
  merit(pre: ArrayLike<number>, post: ArrayLike<number>[]): number;
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

function branchesAboveFraction(post: ArrayLike<number>[], minFrac: number): number {
  const sums = post.map(sum);
  const total = sums.reduce((a, b) => a + b, 0);
  let n = 0;
  for (const s of sums) if (s / total > minFrac) n++;
  return n;
}

export function infoGain(minBranchFraction = 0.01): SplitCriterion {
  return {
    name: 'infogain',
    merit(pre, post) {
      if (branchesAboveFraction(post, minBranchFraction) < 2) return -Infinity;
      let total = 0;
      let weighted = 0;
      for (const d of post) {
        const w = sum(d);
        total += w;
        weighted += w * entropy(d);
      }
      return entropy(pre) - weighted / total;
    },
    range: (classesSeen) => log2(classesSeen > 2 ? classesSeen : 2),
  };
}

export function gini(): SplitCriterion {
  const g = (d: ArrayLike<number>) => {
    const s = sum(d);
    let acc = 1;
    for (let i = 0; i < d.length; i++) acc -= (d[i] / s) * (d[i] / s);
    return acc;
  };
  return {
    name: 'gini',
    merit(_pre, post) {
      const sums = post.map(sum);
      const total = sums.reduce((a, b) => a + b, 0);
      let m = 1;
      post.forEach((d, i) => {
        if (sums[i] > 0) m -= (sums[i] / total) * g(d);
      });
      return m;
    },
    range: () => 1,
  };
}

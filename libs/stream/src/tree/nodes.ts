import type { NominalObserver, AttributeObserver } from './nominal-observer.js';
import type { NumericObserver } from './numeric-observer.js';

/** A leaf that learns (MOA ActiveLearningNode; `active = false` is an InactiveLearningNode). */
export interface LeafNode {
  kind: 'leaf';
  /** Observed class weights (MOA `observedClassDistribution`). */
  dist: Float64Array;
  active: boolean;
  weightAtLastEval: number;
  /** NB-adaptive bookkeeping: weight the majority class / naive Bayes would have got right. */
  mcCorrect: number;
  nbCorrect: number;
  /** Observer per attribute; null where the attribute is not observed (inactive leaf, ARF subspace). */
  observers: (AttributeObserver | null)[];
  /** ARF random subspace of this leaf (chosen on its first instance); null = all attributes. */
  subspace: number[] | null;
}

export type SplitTest = { type: 'numeric'; attribute: number; threshold: number } | { type: 'multiway'; attribute: number } | { type: 'binary'; attribute: number; value: number };

export interface SplitNode {
  kind: 'split';
  test: SplitTest;
  /** Class distribution at the moment of the split (what MOA predicts when an instance stops here). */
  dist: Float64Array;
  children: (TreeNode | null)[];
}

export type TreeNode = LeafNode | SplitNode;

/** Branch an instance takes, or −1 when its test attribute is missing. */
export function branchOf(test: SplitTest, x: Float64Array): number {
  const v = x[test.attribute];
  if (v !== v) return -1;
  switch (test.type) {
    case 'numeric':
      return v <= test.threshold ? 0 : 1;
    case 'multiway':
      return v | 0;
    case 'binary':
      return v === test.value ? 0 : 1;
  }
}

/** MOA DoubleVector length: highest index holding weight, + 1. */
export function classesSeen(dist: Float64Array): number {
  for (let i = dist.length - 1; i >= 0; i--) if (dist[i] !== 0) return i + 1;
  return 0;
}

export function sumOf(dist: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < dist.length; i++) s += dist[i];
  return s;
}

/** First index of the maximum over the first `len` entries; −1 when len = 0 (DoubleVector.maxIndex). */
export function maxIndex(a: ArrayLike<number>, len = a.length): number {
  let m = -1;
  for (let i = 0; i < len; i++) if (m < 0 || a[i] > a[m]) m = i;
  return m;
}

/**
 * MOA NaiveBayes.doNaiveBayesPrediction over the leaf's observers, written into `out` (zeroed beyond the
 * classes seen). Returns the number of classes seen.
 */
export function naiveBayesVotes(leaf: LeafNode, x: Float64Array, out: Float64Array): number {
  const dist = leaf.dist;
  const len = classesSeen(dist);
  const total = sumOf(dist);
  out.fill(0);
  const obs = leaf.observers;
  for (let c = 0; c < len; c++) {
    let v = dist[c] / total;
    for (let j = 0; j < obs.length; j++) {
      const o = obs[j];
      if (o === null) continue;
      const xv = x[j];
      if (xv !== xv) continue;
      v *= o.kind === 'numeric' ? (o as NumericObserver).density(xv, c) : (o as NominalObserver).probability(xv, c);
    }
    out[c] = v;
  }
  return len;
}

import type { JavaRandomState } from '../java-random.js';
import { JavaRandom } from '../java-random.js';
import type { Schema } from '../schema.js';
import { HoeffdingTree } from './hoeffding-tree.js';
import type { ResolvedTreeOptions } from './tree-options.js';
import type { LeafNode, SplitNode, SplitTest, TreeNode } from './nodes.js';
import { NominalObserver, type AttributeObserver } from './nominal-observer.js';
import { NumericObserver } from './numeric-observer.js';

/** JSON form of an attribute observer (typed arrays as number arrays; doubles round-trip exactly). */
export type ObserverState = { t: 'numeric'; bins: number; w: number[]; mean: number[]; v: number[]; min: number[]; max: number[] } | { t: 'nominal'; values: number; counts: number[]; total: number[]; len: number[]; present: number[] };

export type NodeState =
  | { k: 'leaf'; dist: number[]; active: boolean; lastEval: number; mc: number; nb: number; subspace: number[] | null; obs: (ObserverState | null)[] }
  | { k: 'split'; test: SplitTest; dist: number[]; children: (NodeState | null)[] };

export interface TreeState {
  options: ResolvedTreeOptions;
  random: JavaRandomState;
  splits: number;
  root: NodeState | null;
}

function observerState(o: AttributeObserver): ObserverState {
  if (o.kind === 'numeric') return { t: 'numeric', bins: o.numBins, w: Array.from(o.weight), mean: Array.from(o.mean), v: Array.from(o.varianceSum), min: Array.from(o.min), max: Array.from(o.max) };
  return { t: 'nominal', values: o.numValues, counts: Array.from(o.counts), total: Array.from(o.classTotal), len: Array.from(o.length), present: Array.from(o.present) };
}

function observerFrom(s: ObserverState, numClasses: number): AttributeObserver {
  if (s.t === 'numeric') {
    const o = new NumericObserver(numClasses, s.bins);
    o.restore({ weight: s.w, mean: s.mean, varianceSum: s.v, min: s.min, max: s.max });
    return o;
  }
  const o = new NominalObserver(numClasses, s.values);
  o.restore({ counts: s.counts, classTotal: s.total, length: s.len, present: s.present });
  return o;
}

function nodeState(n: TreeNode): NodeState {
  if (n.kind === 'leaf') return { k: 'leaf', dist: Array.from(n.dist), active: n.active, lastEval: n.weightAtLastEval, mc: n.mcCorrect, nb: n.nbCorrect, subspace: n.subspace ? [...n.subspace] : null, obs: n.observers.map((o) => (o ? observerState(o) : null)) };
  return { k: 'split', test: { ...n.test }, dist: Array.from(n.dist), children: n.children.map((c) => (c ? nodeState(c) : null)) };
}

function nodeFrom(s: NodeState, numClasses: number): TreeNode {
  if (s.k === 'leaf') {
    const leaf: LeafNode = { kind: 'leaf', dist: Float64Array.from(s.dist), active: s.active, weightAtLastEval: s.lastEval, mcCorrect: s.mc, nbCorrect: s.nb, subspace: s.subspace ? [...s.subspace] : null, observers: s.obs.map((o) => (o ? observerFrom(o, numClasses) : null)) };
    return leaf;
  }
  const split: SplitNode = { kind: 'split', test: { ...s.test }, dist: Float64Array.from(s.dist), children: s.children.map((c) => (c ? nodeFrom(c, numClasses) : null)) };
  return split;
}

export function treeState(t: HoeffdingTree): TreeState {
  return { options: { ...t.options }, random: t.random.getState(), splits: t.splits, root: t.root ? nodeState(t.root) : null };
}

/** Rebuilds a tree that predicts and learns exactly like the one whose state was taken. */
export function treeFromState(schema: Schema, s: TreeState): HoeffdingTree {
  const t = new HoeffdingTree(schema, s.options);
  t.random = JavaRandom.fromState(s.random);
  t.splits = s.splits;
  t.root = s.root ? nodeFrom(s.root, t.numClasses) : null;
  return t;
}

import { JavaRandom } from '../java-random.js';
import { argmax, type Classifier } from '../classifier.js';
import { numClasses, validateSchema, type Schema } from '../schema.js';
import { NominalObserver, nominalObserverSize, type AttributeObserver } from './nominal-observer.js';
import { NumericObserver, numericObserverSize } from './numeric-observer.js';
import { classesSeen, maxIndex, sumOf, type LeafNode, type SplitNode, type TreeNode } from './nodes.js';
import { BEYOND, EMPTY_TREE, REACHED_LEAF, ROOT_SLOT, SplitIndex, STOPPED_ABSENT, STOPPED_MISSING } from './split-index.js';
import { gini, infoGain, type SplitCriterion } from './split-criterion.js';
import { PRE_PRUNE, SplitSearch } from './split-search.js';
import { MOA_TREE_DEFAULTS, type HoeffdingTreeOptions, type ResolvedTreeOptions } from './tree-options.js';

/** What the latest public operation on the tree was, for the follow-up calls that reuse its work. */
const LastOp = { None: 0, Predict: 1, Learn: 2 } as const;
type LastOp = (typeof LastOp)[keyof typeof LastOp];

/**
 * MOA `trees.HoeffdingTree` (VFDT): information-gain splits decided with the Hoeffding bound after every
 * grace period, Gaussian numeric and nominal attribute observers, MC / NB / NB-adaptive leaves.
 * Not ported: MOA's memory management (33 MB cap checked every 10^6 instances), which never triggers on
 * the benchmark streams' sizes here, and poor-attribute removal (off by default).
 */
export class HoeffdingTree implements Classifier {
  readonly options: ResolvedTreeOptions;
  readonly numClasses: number;
  /** May be assigned (a restore does; the descent index follows); nodes below it change only through the tree. */
  root: TreeNode | null = null;
  random: JavaRandom;
  /** Counters for status reports. */
  splits = 0;
  private readonly criterion: SplitCriterion;
  private readonly nbBuffer: Float64Array;
  private readonly numAttributes: number;
  private readonly attrMark: Uint8Array;
  /** Doubles each attribute's observer keeps. */
  private readonly observerSizes: Int32Array;

  /**
   * Naive Bayes factor cache: factors[j · #classes + c] is observer j's density (or probability) of
   * x[j] for class c at `factorLeaf`, valid where factorValid[c]. An ensemble asks the same leaf for naive
   * Bayes votes on the same x up to three times per instance (its prediction, the NB-adaptive bookkeeping
   * in learn, and its post-training test); between them only the trained class's estimators change, so the
   * other classes' factors are reused. Each factor is the double the uncached code computes, and the
   * products are formed in the same order, so the votes are bit-identical. Only the explicit follow-up
   * calls (`learnAfterPredict`, `predictVotesAfterLearnInto`) reuse it; every other entry point starts afresh.
   */
  private readonly factors: Float64Array;
  private readonly factorValid: Uint8Array;
  private factorLeaf: LeafNode | null = null;

  /** Flat mirror of the split nodes, for the descents (see SplitIndex). */
  private readonly index = new SplitIndex();
  /**
   * Where the latest predictVotesInto / learn ended, and on which x (see the follow-up calls). Predict: the
   * descent's outcome (REACHED_LEAF …) with the end left in `index`. Learn: the index slot (ROOT_SLOT: the
   * root) of the node now holding the trained leaf's place.
   */
  private lastOp: LastOp = LastOp.None;
  private lastX: Float64Array | null = null;
  private lastStatus = EMPTY_TREE;
  private lastSlot = ROOT_SLOT;

  /** Chooses a leaf's split (Hoeffding bound over its observers' candidates). */
  private readonly search: SplitSearch;

  constructor(
    readonly schema: Schema,
    options: HoeffdingTreeOptions = {},
  ) {
    validateSchema(schema);
    this.options = { ...MOA_TREE_DEFAULTS, ...options };
    const o = this.options;
    if (!(o.gracePeriod > 0)) throw new RangeError(`HoeffdingTree.gracePeriod: expected > 0, got ${o.gracePeriod}`);
    if (!(o.splitConfidence > 0 && o.splitConfidence < 1)) throw new RangeError(`HoeffdingTree.splitConfidence: expected in (0, 1), got ${o.splitConfidence}`);
    if (!['mc', 'nb', 'nba'].includes(o.leafPrediction)) throw new RangeError(`HoeffdingTree.leafPrediction: expected 'mc', 'nb' or 'nba', got ${JSON.stringify(o.leafPrediction)}`);
    this.numClasses = numClasses(schema);
    this.criterion = o.splitCriterion === 'gini' ? gini() : infoGain(o.minBranchFraction);
    this.nbBuffer = new Float64Array(this.numClasses);
    this.random = new JavaRandom(o.randomSeed);
    this.numAttributes = schema.attributes.length;
    this.attrMark = new Uint8Array(this.numAttributes);
    this.observerSizes = Int32Array.from(schema.attributes, (a) => (a.kind === 'nominal' ? nominalObserverSize(this.numClasses, a.values.length) : numericObserverSize(this.numClasses)));
    this.factors = new Float64Array(this.numAttributes * this.numClasses);
    this.factorValid = new Uint8Array(this.numClasses);
    this.search = new SplitSearch(this.numClasses, this.numAttributes, this.criterion, o);
  }

  /** Forgets everything (MOA resetLearning: the subspace random generator restarts from its seed). */
  reset(): void {
    this.root = null;
    this.splits = 0;
    this.random = new JavaRandom(this.options.randomSeed);
    this.forget();
  }

  private forget(): void {
    this.lastOp = LastOp.None;
    this.lastX = null;
    this.factorLeaf = null;
  }

  /** The index, rebuilt when the root was replaced from outside (a state restore assigns `root`). */
  private synced(): SplitIndex {
    const index = this.index;
    if (index.root !== this.root) index.build(this.root);
    return index;
  }

  predict(x: Float64Array): number {
    return argmax(this.predictVotes(x));
  }

  predictVotes(x: Float64Array): Float64Array {
    const out = new Float64Array(this.numClasses);
    this.predictVotesInto(x, out);
    return out;
  }

  /** Votes into `out` (no allocation on the hot path of ensembles). */
  predictVotesInto(x: Float64Array, out: Float64Array): void {
    this.factorLeaf = null;
    const index = this.synced();
    const status = index.descend(x, index.rootEntry, ROOT_SLOT);
    this.lastX = x;
    this.lastOp = LastOp.Predict;
    this.lastStatus = status;
    this.votesAt(status, x, out);
  }

  /**
   * Same votes as predictVotesInto(x, out), for an `x` that was just passed, unchanged, to learn() on this
   * tree (an ensemble testing its member after training it): the descent restarts where learn() stopped,
   * and the naive Bayes factors learn() computed are reused. Any other call in between: a full prediction.
   */
  predictVotesAfterLearnInto(x: Float64Array, out: Float64Array): void {
    if (this.lastOp !== LastOp.Learn || this.lastX !== x || this.index.root !== this.root) {
      this.predictVotesInto(x, out);
      return;
    }
    const index = this.index;
    const status = index.descend(x, index.entryAt(this.lastSlot), this.lastSlot);
    this.votesAt(status, x, out);
    // The descent did not start at the root, so the end's parent is unknown: no follow-up reuse.
    this.lastOp = LastOp.None;
    this.factorLeaf = null;
  }

  /** The votes where a descent ended (nodes on x's path are the ones predictVotes would reach). */
  private votesAt(status: number, x: Float64Array, out: Float64Array): void {
    const index = this.index;
    if (status === REACHED_LEAF) this.leafVotes(index.leaf as LeafNode, x, out);
    else if (status === EMPTY_TREE) out.fill(0);
    else out.set(index.splits[index.split].dist);
  }

  private leafVotes(leaf: LeafNode, x: Float64Array, out: Float64Array): void {
    const mode = this.options.leafPrediction;
    if (!leaf.active || mode === 'mc' || (mode === 'nba' && leaf.mcCorrect > leaf.nbCorrect) || (mode === 'nb' && sumOf(leaf.dist) < this.options.nbThreshold)) {
      out.set(leaf.dist);
      return;
    }
    this.naiveBayes(leaf, x, out);
  }

  /**
   * nodes.ts naiveBayesVotes(leaf, x, out), through the factor cache: the same products in the same order
   * (class by class, attributes ascending), each factor computed once per (leaf, x, class estimator).
   */
  private naiveBayes(leaf: LeafNode, x: Float64Array, out: Float64Array): void {
    const valid = this.factorValid;
    if (this.factorLeaf !== leaf) {
      this.factorLeaf = leaf;
      valid.fill(0);
    }
    const dist = leaf.dist;
    const len = classesSeen(dist);
    const total = sumOf(dist);
    out.fill(0);
    let allValid = true;
    for (let c = 0; c < len; c++) {
      out[c] = dist[c] / total;
      if (!valid[c]) allValid = false;
    }
    const obs = leaf.observers;
    const n = this.numAttributes;
    const nc = this.numClasses;
    const f = this.factors;
    // Attribute by attribute, each class's product gets its factors in ascending attribute order, exactly
    // the sequence of multiplications of the class-by-class loop in naiveBayesVotes.
    for (let j = 0; j < n; j++) {
      const o = obs[j];
      if (o === null) continue;
      const xv = x[j];
      if (xv !== xv) continue;
      const base = j * nc;
      if (allValid) {
        for (let c = 0; c < len; c++) out[c] *= f[base + c];
      } else if (o.kind === 'numeric') {
        for (let c = 0; c < len; c++) out[c] *= valid[c] ? f[base + c] : (f[base + c] = o.density(xv, c));
      } else {
        for (let c = 0; c < len; c++) out[c] *= valid[c] ? f[base + c] : (f[base + c] = o.probability(xv, c));
      }
    }
    for (let c = 0; c < len; c++) valid[c] = 1;
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    this.factorLeaf = null;
    this.lastOp = LastOp.None;
    if (!(weight > 0) || y !== y) return;
    const index = this.synced();
    this.learnFrom(index.descend(x, index.rootEntry, ROOT_SLOT), x, y, weight);
  }

  /**
   * Same as learn(x, y, weight), for an `x` that was just passed, unchanged, to predictVotesInto() on this
   * tree (test-then-train): the descent and the naive Bayes factors of that prediction are reused. Any
   * other call in between: a full learn().
   */
  learnAfterPredict(x: Float64Array, y: number, weight = 1): void {
    if (this.lastOp !== LastOp.Predict || this.lastX !== x || this.index.root !== this.root) {
      this.learn(x, y, weight);
      return;
    }
    this.lastOp = LastOp.None;
    if (!(weight > 0) || y !== y) {
      this.factorLeaf = null;
      return;
    }
    this.learnFrom(this.lastStatus, x, y, weight);
  }

  /** learn() from where its descent ended (left in `index`). */
  private learnFrom(status: number, x: Float64Array, y: number, weight: number): void {
    const index = this.index;
    if (status === STOPPED_MISSING) return; // missing test value: MOA's instance stops at the split node and teaches nothing
    if (status === EMPTY_TREE) {
      this.root = this.newLeaf(new Float64Array(this.numClasses));
      index.build(this.root);
      status = index.descend(x, index.rootEntry, ROOT_SLOT);
    } else if (status === STOPPED_ABSENT) {
      const node = index.splits[index.split];
      const b = index.branch;
      const leaf = this.newLeaf(new Float64Array(this.numClasses));
      const slot = index.slot;
      node.children[b] = leaf;
      if (slot !== BEYOND) {
        index.attachLeaf(slot, leaf);
        this.learnLeaf(leaf, node, b, slot, x, y, weight);
        return;
      }
      // A multiway branch beyond the children seen at the split: the children array grew, re-mirror it.
      index.build(this.root);
      status = index.descend(x, index.rootEntry, ROOT_SLOT);
    }
    if (status !== REACHED_LEAF) throw new Error('HoeffdingTree: the split index lost a leaf'); // unreachable
    const parent = index.parent < 0 ? null : index.splits[index.parent];
    this.learnLeaf(index.leaf as LeafNode, parent, index.branch, index.slot, x, y, weight);
  }

  private learnLeaf(leaf: LeafNode, parent: SplitNode | null, branch: number, slot: number, x: Float64Array, y: number, weight: number): void {
    this.learnAtLeaf(leaf, x, y, weight);
    if (leaf.active) {
      const seen = sumOf(leaf.dist);
      if (seen - leaf.weightAtLastEval >= this.options.gracePeriod) {
        this.attemptSplit(leaf, parent, branch, slot);
        leaf.weightAtLastEval = seen;
      }
    }
    this.lastOp = LastOp.Learn;
    this.lastX = x;
    this.lastSlot = slot;
  }

  private learnAtLeaf(leaf: LeafNode, x: Float64Array, y: number, w: number): void {
    if (leaf.active && this.options.leafPrediction === 'nba') {
      if (maxIndex(leaf.dist, classesSeen(leaf.dist)) === y) leaf.mcCorrect += w;
      this.naiveBayes(leaf, x, this.nbBuffer);
      if (argmax(this.nbBuffer) === y) leaf.nbCorrect += w;
    }
    leaf.dist[y] += w;
    if (!leaf.active) return;
    if (leaf.subspace === null && this.options.subspaceSize > 0) leaf.subspace = this.drawSubspace();
    const obs = leaf.observers;
    const sub = leaf.subspace;
    if (obs[sub === null ? 0 : sub[0]] === null) this.createObservers(obs, sub);
    if (sub === null) {
      for (let j = 0; j < this.numAttributes; j++) this.observe(obs, j, x[j], y, w);
    } else {
      for (let i = 0; i < sub.length; i++) {
        const j = sub[i];
        this.observe(obs, j, x[j], y, w);
      }
    }
    // Class y's estimators changed: its cached naive Bayes factors are stale, the other classes' are not.
    if (this.factorLeaf === leaf) this.factorValid[y] = 0;
  }

  private observe(obs: (AttributeObserver | null)[], j: number, v: number, y: number, w: number): void {
    let o = obs[j];
    if (o === null) {
      o = this.newObserver(j);
      obs[j] = o;
      this.factorLeaf = null; // a new observer adds a factor to every class
    }
    o.observe(v, y, w);
  }

  /**
   * Creates the leaf's missing observers (on its first instance: every attribute it observes) as blocks of
   * one buffer, in attribute order, so a naive Bayes vote walks one contiguous array instead of dozens of
   * small ones scattered over the heap. What they compute is unchanged.
   */
  private createObservers(obs: (AttributeObserver | null)[], sub: number[] | null): void {
    const n = this.numAttributes;
    const mark = this.attrMark;
    const sizes = this.observerSizes;
    mark.fill(sub === null ? 1 : 0);
    if (sub !== null) for (let i = 0; i < sub.length; i++) mark[sub[i]] = 1;
    let size = 0;
    for (let j = 0; j < n; j++) if (mark[j] && obs[j] === null) size += sizes[j];
    if (size === 0) return;
    const buf = new Float64Array(size);
    let off = 0;
    for (let j = 0; j < n; j++) {
      if (!mark[j] || obs[j] !== null) continue;
      obs[j] = this.newObserver(j, buf, off);
      off += sizes[j];
    }
    this.factorLeaf = null; // new observers add factors to every class
  }

  /** The observer of attribute j (its numbers in its own array, or at `offset` of a leaf's shared buffer). */
  private newObserver(j: number, buffer?: Float64Array, offset?: number): AttributeObserver {
    const a = this.schema.attributes[j];
    return a.kind === 'nominal' ? new NominalObserver(this.numClasses, a.values.length, buffer, offset) : new NumericObserver(this.numClasses, this.options.numericBins, buffer, offset);
  }

  /** ARFHoeffdingTree: `k` distinct attribute indices drawn with nextInt(#attributes), in draw order. */
  private drawSubspace(): number[] {
    const n = this.schema.attributes.length;
    const k = Math.min(this.options.subspaceSize, n);
    const out: number[] = [];
    while (out.length < k) {
      const j = this.random.nextInt(n);
      if (!out.includes(j)) out.push(j);
    }
    return out;
  }

  newLeaf(dist: Float64Array): LeafNode {
    return { kind: 'leaf', dist, active: true, weightAtLastEval: sumOf(dist), mcCorrect: 0, nbCorrect: 0, observers: new Array<AttributeObserver | null>(this.schema.attributes.length).fill(null), subspace: null };
  }

  /** `slot`: where the split index stores the leaf's entry (ROOT_SLOT: the root). */
  private attemptSplit(leaf: LeafNode, parent: SplitNode | null, branch: number, slot: number): void {
    const decision = this.search.decide(leaf);
    if (decision === null) return;
    if (decision === PRE_PRUNE) {
      leaf.active = false; // pre-pruned: the null split won
      leaf.observers = leaf.observers.map(() => null);
      if (this.factorLeaf === leaf) this.factorLeaf = null;
      return;
    }
    const split: SplitNode = { kind: 'split', test: decision, dist: leaf.dist, children: this.search.branchDists(leaf, decision).map((d) => this.newLeaf(d)) };
    this.splits++;
    if (parent === null) this.root = split;
    else parent.children[branch] = split;
    this.index.attachSplit(slot, split);
  }

  /** Counts for status reports and tests. */
  measure(): { nodes: number; leaves: number; activeLeaves: number; depth: number } {
    let nodes = 0;
    let leaves = 0;
    let activeLeaves = 0;
    let depth = 0;
    const walk = (n: TreeNode | null, d: number) => {
      if (!n) return;
      nodes++;
      if (d > depth) depth = d;
      if (n.kind === 'leaf') {
        leaves++;
        if (n.active) activeLeaves++;
      } else n.children.forEach((c) => walk(c, d + 1));
    };
    walk(this.root, 0);
    return { nodes, leaves, activeLeaves, depth };
  }
}

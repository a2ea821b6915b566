import { NominalObserver, type AttributeObserver } from './nominal-observer.js';
import { binCapacity, NumericObserver } from './numeric-observer.js';
import { classesSeen, sumOf, type LeafNode, type SplitTest } from './nodes.js';
import type { SplitCriterion } from './split-criterion.js';

/** `decide`'s answer when MOA's null split wins: the leaf stops learning (pre-pruning). */
export const PRE_PRUNE = 'pre-prune';

/** Kinds of candidate split (the winner's branch distributions are recomputed from its observer: same doubles). */
const NULL_SPLIT = 0;
const NUMERIC_SPLIT = 1;
const MULTIWAY_SPLIT = 2;
const BINARY_SPLIT = 3;

/** The tree options a split decision reads. */
export interface SplitSearchOptions {
  numericBins: number;
  binarySplits: boolean;
  noPrePrune: boolean;
  splitConfidence: number;
  tieThreshold: number;
}

/**
 * MOA HoeffdingTree's split attempt at a leaf: the best candidate per observer (numeric thresholds, the
 * multiway split, value-vs-rest splits), the null split unless pre-pruning is off, and the Hoeffding bound
 * between the two best. Candidates live in typed arrays reused from one attempt to the next, so an attempt
 * allocates nothing until a split is made.
 */
export class SplitSearch {
  private readonly splitPointBuf: Float64Array;
  private readonly candidate: Float64Array[];
  private multiwayBuf: Float64Array[] = [];
  private readonly pair: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
  /** Candidate splits of one evaluation (at most one per attribute, plus the null split). */
  private readonly sugType: Uint8Array;
  private readonly sugAttr: Int32Array;
  private readonly sugParam: Float64Array;
  private readonly sugMerit: Float64Array;
  private readonly order: number[] = [];
  private readonly byMerit = (a: number, b: number): number => {
    const m = this.sugMerit;
    return m[a] < m[b] ? -1 : m[a] > m[b] ? 1 : 0;
  };

  constructor(
    private readonly numClasses: number,
    numAttributes: number,
    private readonly criterion: SplitCriterion,
    private readonly options: SplitSearchOptions,
  ) {
    this.splitPointBuf = new Float64Array(binCapacity(options.numericBins));
    this.candidate = [new Float64Array(numClasses), new Float64Array(numClasses)];
    this.sugType = new Uint8Array(numAttributes + 1);
    this.sugAttr = new Int32Array(numAttributes + 1);
    this.sugParam = new Float64Array(numAttributes + 1);
    this.sugMerit = new Float64Array(numAttributes + 1);
  }

  /** The test to split `leaf` on, PRE_PRUNE when the null split wins, or null to keep waiting. */
  decide(leaf: LeafNode): SplitTest | typeof PRE_PRUNE | null {
    const dist = leaf.dist;
    let nonZero = 0;
    for (let c = 0; c < dist.length; c++) if (dist[c] !== 0) nonZero++;
    if (nonZero < 2) return null; // pure leaf
    // MOA evaluates against the distribution cut to the classes seen; the zeros beyond change no sum,
    // entropy or Gini term, so the leaf's own array serves.
    const preValue = this.criterion.preValue(dist);
    let count = 0;
    if (!this.options.noPrePrune) {
      this.pair[0] = dist;
      this.sugType[count] = NULL_SPLIT;
      this.sugMerit[count++] = this.criterion.meritFrom(preValue, this.pair, 1);
    }
    const observers = leaf.observers;
    for (let j = 0; j < observers.length; j++) {
      const o = observers[j];
      if (o === null) continue;
      if (o.kind === 'numeric' ? this.bestNumeric(o, preValue, j, count) : this.bestNominal(o, preValue, j, count)) count++;
    }
    // Ascending by merit, stable (Java's Arrays.sort on objects): among equal merits the later one wins.
    // Sorting the candidates' indices with the same comparison gives the permutation sorting them would.
    const order = this.order;
    order.length = count;
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort(this.byMerit);
    const merit = this.sugMerit;
    let shouldSplit = false;
    if (count < 2) shouldSplit = count > 0;
    else {
      const n = sumOf(dist);
      const r = this.criterion.range(classesSeen(dist));
      const bound = Math.sqrt((r * r * Math.log(1 / this.options.splitConfidence)) / (2 * n));
      shouldSplit = merit[order[count - 1]] - merit[order[count - 2]] > bound || bound < this.options.tieThreshold;
    }
    if (!shouldSplit) return null;
    const k = order[count - 1];
    const type = this.sugType[k];
    if (type === NULL_SPLIT) return PRE_PRUNE;
    const attribute = this.sugAttr[k];
    return type === NUMERIC_SPLIT ? { type: 'numeric', attribute, threshold: this.sugParam[k] } : type === MULTIWAY_SPLIT ? { type: 'multiway', attribute } : { type: 'binary', attribute, value: this.sugParam[k] };
  }

  /** The branch class distributions of `test` at `leaf`, as its evaluation computed them. */
  branchDists(leaf: LeafNode, test: SplitTest): Float64Array[] {
    const o = leaf.observers[test.attribute] as AttributeObserver;
    if (test.type === 'numeric') return (o as NumericObserver).binarySplit(test.threshold);
    const nominal = o as NominalObserver;
    return test.type === 'multiway' ? nominal.multiwaySplit(nominal.maxValuesObserved()) : nominal.binarySplit(test.value);
  }

  /** Candidate k: the best threshold of a numeric observer (MOA's order, the first of equal merits kept); false if none. */
  private bestNumeric(o: NumericObserver, preValue: number, attribute: number, k: number): boolean {
    const points = this.splitPointBuf.length >= o.numBins ? this.splitPointBuf : new Float64Array(binCapacity(o.numBins));
    const count = o.splitPointsInto(points);
    if (count === 0) return false;
    const cand = this.candidate;
    let bestMerit = 0;
    let bestT = 0;
    for (let i = 0; i < count; i++) {
      const t = points[i];
      o.binarySplitInto(t, cand[0], cand[1]);
      const merit = this.criterion.meritFrom(preValue, cand, 2);
      if (i === 0 || merit > bestMerit) {
        bestMerit = merit;
        bestT = t;
      }
    }
    this.suggest(k, NUMERIC_SPLIT, attribute, bestT, bestMerit);
    return true;
  }

  /** Candidate k: the multiway split (unless binary splits only), replaced by a better value-vs-rest split; false if none. */
  private bestNominal(o: NominalObserver, preValue: number, attribute: number, k: number): boolean {
    let found = false;
    let bestMerit = 0;
    const m = o.maxValuesObserved();
    if (!this.options.binarySplits) {
      const bufs = this.multiwayBuffers(m);
      o.multiwaySplitInto(m, bufs);
      bestMerit = this.criterion.meritFrom(preValue, bufs, m);
      this.suggest(k, MULTIWAY_SPLIT, attribute, 0, bestMerit);
      found = true;
    }
    const cand = this.candidate;
    for (let v = 0; v < m; v++) {
      o.binarySplitInto(v, cand[0], cand[1]);
      const merit = this.criterion.meritFrom(preValue, cand, 2);
      if (!found || merit > bestMerit) {
        bestMerit = merit;
        this.suggest(k, BINARY_SPLIT, attribute, v, merit);
        found = true;
      }
    }
    return found;
  }

  private suggest(k: number, type: number, attribute: number, param: number, merit: number): void {
    this.sugType[k] = type;
    this.sugAttr[k] = attribute;
    this.sugParam[k] = param;
    this.sugMerit[k] = merit;
  }

  private multiwayBuffers(m: number): Float64Array[] {
    while (this.multiwayBuf.length < m) this.multiwayBuf.push(new Float64Array(this.numClasses));
    return this.multiwayBuf;
  }
}

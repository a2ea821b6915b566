import { argmax, type Classifier } from '../classifier.js';
import { AdwinChangeDetector } from '../drift/adwin.js';
import { JavaRandom } from '../java-random.js';
import { numClasses, validateSchema, type Schema } from '../schema.js';
import { HoeffdingTree } from '../tree/hoeffding-tree.js';
import type { HoeffdingTreeOptions } from '../tree/tree-options.js';
import { treeFromState, treeState, type TreeState } from '../tree/tree-state.js';
import { Adwin, type AdwinState } from '../drift/adwin.js';
import { poisson } from './poisson.js';

export interface AdaptiveRandomForestOptions {
  /** `-s` (100). */
  ensembleSize?: number;
  /** `-a` Poisson λ (6). */
  lambda?: number;
  /** `-m` with `-o Percentage`: share of the attributes each leaf may split on (60). */
  subspacePercent?: number;
  /** ADWINChangeDetector δ of the drift detector (0.001) and of the warning detector (0.01). */
  driftDelta?: number;
  warningDelta?: number;
  disableWeightedVote?: boolean;
  disableDriftDetection?: boolean;
  disableBackgroundLearner?: boolean;
  /** Base tree options (ARFHoeffdingTree `-g 50 -c 0.01`, otherwise MOA HT defaults). */
  tree?: HoeffdingTreeOptions;
  /** `-r` (1). */
  seed?: number;
}

interface Member {
  tree: HoeffdingTree;
  /** Prequential accuracy of this tree since it was (re)created: MOA's per-tree evaluator. */
  seen: number;
  correct: number;
  drift: AdwinChangeDetector | null;
  warning: AdwinChangeDetector | null;
  background: Member | null;
}

/**
 * MOA `meta.AdaptiveRandomForest` (Gomes et al. 2017), CapyMOA defaults: each tree votes with its
 * normalised votes × its accuracy, learns each instance with weight Poisson(λ), observes a random subspace
 * per leaf, and is replaced by a background tree (started at an ADWIN warning) when its ADWIN detects drift.
 * Tree and background seeds come from the forest's random generator (MOA shares one seed; see drift.md).
 */
export class AdaptiveRandomForest implements Classifier {
  readonly options: Required<Omit<AdaptiveRandomForestOptions, 'tree'>> & { tree: HoeffdingTreeOptions };
  readonly numClasses: number;
  readonly subspaceSize: number;
  members: Member[] = [];
  random: JavaRandom;
  instancesSeen = 0;
  driftDetections = 0;
  warningDetections = 0;
  readonly driftPositions: number[] = [];
  private readonly voteBuffer: Float64Array;
  /**
   * Each member's prediction from the last `predictVotes(x)`, and that x: test-then-train calls
   * `learn(x, y)` right after with the same array and unchanged trees, so `learn` reuses them instead of
   * sorting x down all trees again (a third of the forest's vote computations; results are identical).
   */
  private memberPrediction = new Int32Array(0);
  private predictedX: Float64Array | null = null;

  constructor(
    readonly schema: Schema,
    options: AdaptiveRandomForestOptions = {},
  ) {
    validateSchema(schema);
    this.options = {
      ensembleSize: 100,
      lambda: 6,
      subspacePercent: 60,
      driftDelta: 0.001,
      warningDelta: 0.01,
      disableWeightedVote: false,
      disableDriftDetection: false,
      disableBackgroundLearner: false,
      seed: 1,
      ...options,
      tree: { gracePeriod: 50, splitConfidence: 0.01, tieThreshold: 0.05, leafPrediction: 'nba', ...options.tree },
    };
    const o = this.options;
    if (!Number.isInteger(o.ensembleSize) || o.ensembleSize < 1) throw new RangeError(`AdaptiveRandomForest.ensembleSize: expected a positive integer, got ${o.ensembleSize}`);
    this.numClasses = numClasses(schema);
    const n = schema.attributes.length;
    // MOA: (int) Math.round(n · m/100), clamped to 1..n.
    this.subspaceSize = Math.min(n, Math.max(1, Math.floor((n * o.subspacePercent) / 100 + 0.5)));
    this.random = new JavaRandom(o.seed);
    this.voteBuffer = new Float64Array(this.numClasses);
    for (let i = 0; i < o.ensembleSize; i++) this.members.push(this.newMember(this.random.nextInt(), false));
  }

  private newMember(seed: number, background: boolean): Member {
    const tree = new HoeffdingTree(this.schema, { ...this.options.tree, subspaceSize: this.subspaceSize, randomSeed: seed });
    const detect = !this.options.disableDriftDetection && !background;
    return {
      tree,
      seen: 0,
      correct: 0,
      drift: detect ? new AdwinChangeDetector(this.options.driftDelta) : null,
      warning: detect && !this.options.disableBackgroundLearner ? new AdwinChangeDetector(this.options.warningDelta) : null,
      background: null,
    };
  }

  predict(x: Float64Array): number {
    return argmax(this.predictVotes(x));
  }

  predictVotes(x: Float64Array): Float64Array {
    const combined = new Float64Array(this.numClasses);
    const v = this.voteBuffer;
    // Sized here, not in the constructor: restoring replaces `members` wholesale.
    if (this.memberPrediction.length !== this.members.length) this.memberPrediction = new Int32Array(this.members.length);
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i];
      m.tree.predictVotesInto(x, v);
      this.memberPrediction[i] = argmax(v);
      let s = 0;
      for (let c = 0; c < v.length; c++) s += v[c];
      if (!(s > 0)) continue;
      const acc = m.seen > 0 ? (m.correct / m.seen) * 100 : 0;
      const scale = !this.options.disableWeightedVote && acc > 0 ? acc / s : 1 / s;
      for (let c = 0; c < v.length; c++) combined[c] += v[c] * scale;
    }
    this.predictedX = x;
    return combined;
  }

  learn(x: Float64Array, y: number): void {
    this.instancesSeen++;
    const v = this.voteBuffer;
    const reuse = this.predictedX === x && this.memberPrediction.length === this.members.length;
    // Training changes the trees: the cached predictions are for this instance only.
    this.predictedX = null;
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i];
      let predicted: number;
      if (reuse) {
        predicted = this.memberPrediction[i];
      } else {
        m.tree.predictVotesInto(x, v);
        predicted = argmax(v);
      }
      m.seen++;
      if (predicted === y) m.correct++;
      const k = poisson(this.options.lambda, this.random);
      if (k > 0) this.trainMember(m, x, y, k);
    }
  }

  private trainMember(m: Member, x: Float64Array, y: number, k: number): void {
    // The member's tree voted on this very x just before (in predictVotes or above), and tests it again
    // right after training: both follow-up calls reuse the descent and naive Bayes factors (same results).
    m.tree.learnAfterPredict(x, y, k);
    if (m.background) m.background.tree.learn(x, y, 1); // MOA trains the background tree unweighted
    if (!m.drift) return;
    m.tree.predictVotesAfterLearnInto(x, this.voteBuffer);
    const wrong = argmax(this.voteBuffer) === y ? 0 : 1; // MOA tests correctness *after* training
    if (m.warning && m.warning.input(wrong)) {
      this.warningDetections++;
      m.background = this.newMember(m.tree.random.nextInt(), true);
      m.warning = new AdwinChangeDetector(this.options.warningDelta);
    }
    if (m.drift.input(wrong)) {
      this.driftDetections++;
      this.driftPositions.push(this.instancesSeen);
      if (this.driftPositions.length > 1000) this.driftPositions.shift();
      this.resetMember(m);
    }
  }

  private resetMember(m: Member): void {
    const bkg = m.background;
    if (bkg) {
      m.tree = bkg.tree;
      m.warning = new AdwinChangeDetector(this.options.warningDelta);
    } else {
      m.tree.reset();
    }
    m.drift = new AdwinChangeDetector(this.options.driftDelta);
    m.background = null;
    // MOA resets the evaluator (the background's, when one is swapped in) after a drift.
    m.seen = 0;
    m.correct = 0;
  }

  getState(): ArfState {
    return {
      options: this.options,
      random: this.random.getState(),
      instancesSeen: this.instancesSeen,
      driftDetections: this.driftDetections,
      warningDetections: this.warningDetections,
      driftPositions: [...this.driftPositions],
      members: this.members.map(memberState),
    };
  }

  static fromState(schema: Schema, s: ArfState): AdaptiveRandomForest {
    const arf = new AdaptiveRandomForest(schema, { ...s.options, ensembleSize: 1 });
    (arf as { options: AdaptiveRandomForest['options'] }).options = s.options;
    arf.random = JavaRandom.fromState(s.random);
    arf.instancesSeen = s.instancesSeen;
    arf.driftDetections = s.driftDetections;
    arf.warningDetections = s.warningDetections;
    arf.driftPositions.splice(0, arf.driftPositions.length, ...s.driftPositions);
    arf.members = s.members.map((m) => memberFrom(schema, m));
    return arf;
  }
}

interface MemberState {
  tree: TreeState;
  seen: number;
  correct: number;
  drift: { delta: number; adwin: AdwinState } | null;
  warning: { delta: number; adwin: AdwinState } | null;
  background: MemberState | null;
}

export interface ArfState {
  options: AdaptiveRandomForest['options'];
  random: ReturnType<JavaRandom['getState']>;
  instancesSeen: number;
  driftDetections: number;
  warningDetections: number;
  driftPositions: number[];
  members: MemberState[];
}

const detectorState = (d: AdwinChangeDetector | null) => (d ? { delta: d.delta, adwin: d.adwin.getState() } : null);

function detectorFrom(s: { delta: number; adwin: AdwinState } | null): AdwinChangeDetector | null {
  if (!s) return null;
  const d = new AdwinChangeDetector(s.delta);
  d.adwin = Adwin.fromState(s.adwin);
  return d;
}

function memberState(m: Member): MemberState {
  return { tree: treeState(m.tree), seen: m.seen, correct: m.correct, drift: detectorState(m.drift), warning: detectorState(m.warning), background: m.background ? memberState(m.background) : null };
}

function memberFrom(schema: Schema, s: MemberState): Member {
  return { tree: treeFromState(schema, s.tree), seen: s.seen, correct: s.correct, drift: detectorFrom(s.drift), warning: detectorFrom(s.warning), background: s.background ? memberFrom(schema, s.background) : null };
}

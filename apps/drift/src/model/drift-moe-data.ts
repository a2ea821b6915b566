import { bceGradient, MlpRouter, type MlpRouterState, type RouterActivations } from '@moe/core/online';
import { argmax, HoeffdingTree, treeFromState, treeState, type HoeffdingTreeOptions, type Schema, type TreeState } from '@moe/stream';
import type { LearnerStats, StreamLearner } from './stream-learner.js';

/** The experts of DriftMoE: CapyMOA HoeffdingTree(grace_period=50, confidence=1e-7), pre-pruning off. */
export const DRIFTMOE_EXPERT_TREE: HoeffdingTreeOptions = { gracePeriod: 50, splitConfidence: 1e-7, tieThreshold: 0.05, leafPrediction: 'nba', noPrePrune: true };

export interface DriftMoeDataOptions {
  experts?: number;
  topK?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  hidden1?: number;
  hidden2?: number;
  /**
   * Fidelity switches (all off = the port as it stands). They exist to measure, one at a time, what could
   * separate our numbers from the authors' torch runs (see the drift-gap bench): router arithmetic at float32
   * (torch's dtype), expert votes rounded to float32 before argmax and the correctness mask (the authors build
   * `torch.tensor(votes, dtype=float32)`), and the router's dropout active while routing (the authors'
   * cross-validated prequential path never calls `router.eval()`).
   */
  float32Router?: boolean;
  float32Votes?: boolean;
  routerDropout?: boolean;
}

/**
 * DriftMoE "MoE-Data" (mode `joint_data` of the authors' code): the router picks the expert that predicts
 * (top-1 of its logits), learns with BCE against the multi-hot mask of experts that were right (or, if none
 * was, the one giving the true class the largest vote), one Adam step per `batchSize` instances, and the
 * top-k experts by the router's weights (before this instance's step) learn the instance.
 */
export class DriftMoeData implements StreamLearner {
  readonly method: string = 'driftmoe-data';
  readonly options: Required<DriftMoeDataOptions>;
  readonly router: MlpRouter;
  readonly experts: HoeffdingTree[];
  readonly numClasses: number;
  /** Activations of the instances in the current router batch. */
  private readonly batch: RouterActivations[];
  private readonly batchGrads: Float64Array[];
  private batchFill = 0;
  protected readonly votes: Float64Array[];
  protected readonly expertPred: Int32Array;
  private readonly mask: Float64Array;
  private lastX: Float64Array | null = null;
  private lastPrediction = 0;
  protected readonly usage: number[];
  protected seen = 0;

  constructor(
    readonly schema: Schema,
    options: DriftMoeDataOptions = {},
    protected readonly expertOptions: HoeffdingTreeOptions = DRIFTMOE_EXPERT_TREE,
  ) {
    const o = options;
    // Only the known keys: subclasses pass their own options through here too.
    this.options = {
      experts: o.experts ?? 12, topK: o.topK ?? 3, batchSize: o.batchSize ?? 256, lr: o.lr ?? 2e-3, seed: o.seed ?? 1, hidden1: o.hidden1 ?? 256, hidden2: o.hidden2 ?? 128,
      float32Router: o.float32Router ?? false, float32Votes: o.float32Votes ?? false, routerDropout: o.routerDropout ?? false,
    };
    const { experts: n, topK, batchSize } = this.options;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`DriftMoeData.experts: expected a positive integer, got ${n}`);
    if (!Number.isInteger(topK) || topK < 1 || topK > n) throw new RangeError(`DriftMoeData.topK: expected an integer 1..${n}, got ${topK}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DriftMoeData.batchSize: expected a positive integer, got ${batchSize}`);
    this.numClasses = schema.classAttribute.values.length;
    this.router = new MlpRouter({ inputs: schema.attributes.length, outputs: n, hidden1: this.options.hidden1, hidden2: this.options.hidden2, lr: this.options.lr, seed: this.options.seed, float32: this.options.float32Router });
    this.experts = Array.from({ length: n }, (_, i) => new HoeffdingTree(schema, { ...expertOptions, randomSeed: this.options.seed + i }));
    this.batch = Array.from({ length: batchSize }, () => this.router.newActivations());
    this.batchGrads = Array.from({ length: batchSize }, () => new Float64Array(n));
    this.votes = Array.from({ length: n }, () => new Float64Array(this.numClasses));
    this.expertPred = new Int32Array(n);
    this.mask = new Float64Array(n);
    this.usage = new Array<number>(n).fill(0);
  }

  /** Router input for x (the authors feed raw values; the improved variant overrides this). */
  protected routerInput(x: Float64Array): ArrayLike<number> {
    return x;
  }

  private forward(x: Float64Array): RouterActivations {
    const act = this.batch[this.batchFill];
    this.router.forward(this.routerInput(x), act, this.options.routerDropout);
    for (let e = 0; e < this.experts.length; e++) {
      const v = this.votes[e];
      this.experts[e].predictVotesInto(x, v);
      if (this.options.float32Votes) for (let c = 0; c < v.length; c++) v[c] = Math.fround(v[c]);
      this.expertPred[e] = argmax(v);
    }
    return act;
  }

  predictVotes(x: Float64Array): Float64Array {
    const out = new Float64Array(this.numClasses);
    out[this.predict(x)] = 1;
    return out;
  }

  predict(x: Float64Array): number {
    const act = this.forward(x);
    this.lastX = x;
    this.lastPrediction = this.combine(act.logits);
    return this.lastPrediction;
  }

  /** The prediction from the router's logits and the experts' votes: the top-1 expert's class. */
  protected combine(logits: Float64Array): number {
    return this.expertPred[argmax(logits)];
  }

  learn(x: Float64Array, y: number): void {
    if (this.lastX !== x) this.predict(x);
    this.lastX = null;
    const act = this.batch[this.batchFill];
    const chosen = argmax(act.logits);
    this.usage[chosen]++;
    this.seen++;
    const n = this.experts.length;
    let any = 0;
    for (let e = 0; e < n; e++) {
      this.mask[e] = this.expertPred[e] === y ? 1 : 0;
      any += this.mask[e];
    }
    if (any === 0) {
      let best = 0;
      for (let e = 1; e < n; e++) if (this.votes[e][y] > this.votes[best][y]) best = e;
      this.mask[best] = 1;
    }
    bceGradient(act.logits, this.mask, this.options.batchSize * n, this.batchGrads[this.batchFill]);
    // Top-k by the softmax weights = top-k by the logits (a monotone map), taken before the router step.
    const top = topIndices(act.logits, this.options.topK);
    this.batchFill++;
    if (this.batchFill === this.options.batchSize) {
      this.router.zeroGrad();
      this.router.accumulateBatch(this.batch, this.batchGrads, this.batchFill, this.options.routerDropout);
      this.router.step();
      this.batchFill = 0;
    }
    this.trainExperts(top, x, y);
  }

  /** Trains the top-k experts (the improved variant changes who learns, and how). */
  protected trainExperts(top: number[], x: Float64Array, y: number): void {
    for (const e of top) this.experts[e].learn(x, y);
  }

  stats(): LearnerStats {
    return { expertUsage: [...this.usage], driftDetections: 0, driftPositions: [] };
  }

  getState(): DriftMoeDataState {
    const pending = Array.from({ length: this.batchFill }, (_, b) => ({ x: Array.from(this.batch[b].x), h1: Array.from(this.batch[b].h1), h2: Array.from(this.batch[b].h2), logits: Array.from(this.batch[b].logits), grad: Array.from(this.batchGrads[b]) }));
    return { method: this.method, options: this.options, router: this.router.getState(), experts: this.experts.map(treeState), pending, usage: [...this.usage], seen: this.seen };
  }

  /** Restores what `getState` captured (the learner must have been built with the same schema and options). */
  setState(s: DriftMoeDataState): void {
    if (s.experts.length !== this.experts.length) throw new RangeError(`DriftMoE state: expected ${this.experts.length} experts, got ${s.experts.length}`);
    this.router.setState(s.router);
    s.experts.forEach((t, i) => (this.experts[i] = treeFromState(this.schema, t)));
    s.pending.forEach((p, b) => {
      const act = this.batch[b];
      act.x.set(p.x);
      act.h1.set(p.h1);
      act.h2.set(p.h2);
      act.logits.set(p.logits);
      this.batchGrads[b].set(p.grad);
    });
    this.batchFill = s.pending.length;
    this.usage.splice(0, this.usage.length, ...s.usage);
    this.seen = s.seen;
    this.lastX = null;
  }

  /** The prediction made by the last `predict` call. */
  get lastPredicted(): number {
    return this.lastPrediction;
  }
}

export interface DriftMoeDataState {
  method: string;
  options: Required<DriftMoeDataOptions>;
  router: MlpRouterState;
  experts: TreeState[];
  /** Router batch collected since the last Adam step (activations + BCE gradients). */
  pending: { x: number[]; h1: number[]; h2: number[]; logits: number[]; grad: number[] }[];
  usage: number[];
  seen: number;
}

/** Indices of the k largest values, largest first; ties keep the lower index first (torch.topk on CPU). */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < k; r++) {
    let best = -1;
    for (let i = 0; i < values.length; i++) {
      if (out.includes(i)) continue;
      if (best < 0 || values[i] > values[best]) best = i;
    }
    out.push(best);
  }
  return out;
}

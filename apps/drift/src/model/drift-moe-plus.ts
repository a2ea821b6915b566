import { Adwin, AdwinChangeDetector, argmax, HoeffdingTree, JavaRandom, poisson, type AdwinState, type JavaRandomState, type Schema } from '@moe/stream';
import { DRIFTMOE_EXPERT_TREE, DriftMoeData, type DriftMoeDataOptions, type DriftMoeDataState } from './drift-moe-data.js';
import { recordDrift, type LearnerStats } from './stream-learner.js';

export interface DriftMoePlusOptions extends DriftMoeDataOptions {
  /** Standardise router inputs with running means/variances (the authors feed raw values). */
  standardize?: boolean;
  /** Predict with the router-weighted mixture of normalised expert votes instead of the top-1 expert. */
  mixture?: boolean;
  /** Besides the top-k, every expert also learns each instance with weight Poisson(λ); 0 = top-k only. */
  lambda?: number;
  /** ADWIN δ on each expert's error; a detection replaces the expert with a fresh tree. 0 = off. */
  driftDelta?: number;
}

const CLIP = 5;

/**
 * DriftMoE+ — our variant (a documented deviation from the paper): standardised router inputs, a
 * router-weighted mixture prediction (weights σ(logit) = the router's estimate that an expert is right),
 * Poisson(λ) online bagging of all experts on top of the router's top-k, and ADWIN-triggered replacement of
 * an expert whose error rises. Still 12 experts and the same router/BCE/mask training.
 */
export class DriftMoePlus extends DriftMoeData {
  override readonly method: string = 'driftmoe-plus';
  readonly plus: Required<Pick<DriftMoePlusOptions, 'standardize' | 'mixture' | 'lambda' | 'driftDelta'>>;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private count = 0;
  private readonly scaled: Float64Array;
  private readonly detectors: (AdwinChangeDetector | null)[];
  private bagRandom: JavaRandom;
  private readonly mix: Float64Array;
  private readonly driftStats: LearnerStats = { expertUsage: [], driftDetections: 0, driftPositions: [] };

  constructor(schema: Schema, options: DriftMoePlusOptions = {}) {
    super(schema, options, DRIFTMOE_EXPERT_TREE);
    this.plus = { standardize: true, mixture: true, lambda: 6, driftDelta: 0.002, ...pick(options) };
    const d = schema.attributes.length;
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(d);
    this.scaled = new Float64Array(d);
    this.detectors = this.experts.map(() => (this.plus.driftDelta > 0 ? new AdwinChangeDetector(this.plus.driftDelta) : null));
    this.bagRandom = new JavaRandom((this.options.seed ^ 0x5bd1e995) >>> 0);
    this.mix = new Float64Array(this.numClasses);
  }

  protected override routerInput(x: Float64Array): ArrayLike<number> {
    if (!this.plus.standardize) return x;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v || this.count < 2) {
        this.scaled[i] = 0;
        continue;
      }
      const sd = Math.sqrt(this.m2[i] / (this.count - 1));
      const z = sd > 0 ? (v - this.mean[i]) / sd : 0;
      this.scaled[i] = z > CLIP ? CLIP : z < -CLIP ? -CLIP : z;
    }
    return this.scaled;
  }

  protected override combine(logits: Float64Array): number {
    if (!this.plus.mixture) return super.combine(logits);
    const mix = this.mix;
    mix.fill(0);
    for (let e = 0; e < this.experts.length; e++) {
      const v = this.votes[e];
      let s = 0;
      for (let c = 0; c < v.length; c++) s += v[c];
      if (!(s > 0)) continue;
      const w = 1 / (1 + Math.exp(-logits[e])) / s;
      for (let c = 0; c < v.length; c++) mix[c] += w * v[c];
    }
    return argmax(mix);
  }

  protected override trainExperts(top: number[], x: Float64Array, y: number): void {
    // Running input statistics are updated after the router has seen x (test-then-train).
    if (this.plus.standardize) {
      this.count++;
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        if (v !== v) continue;
        const delta = v - this.mean[i];
        this.mean[i] += delta / this.count;
        this.m2[i] += delta * (v - this.mean[i]);
      }
    }
    for (let e = 0; e < this.experts.length; e++) {
      let w = top.includes(e) ? 1 : 0;
      if (this.plus.lambda > 0) w += poisson(this.plus.lambda, this.bagRandom);
      if (w > 0) this.experts[e].learn(x, y, w);
      const det = this.detectors[e];
      if (det && det.input(this.expertPred[e] === y ? 0 : 1)) {
        this.experts[e] = new HoeffdingTree(this.schema, { ...this.expertOptions, randomSeed: this.options.seed + e });
        this.detectors[e] = new AdwinChangeDetector(this.plus.driftDelta);
        recordDrift(this.driftStats, this.seen);
      }
    }
  }

  override getState(): DriftMoePlusState {
    return {
      ...super.getState(),
      plus: this.plus,
      inputStats: { count: this.count, mean: Array.from(this.mean), m2: Array.from(this.m2) },
      detectors: this.detectors.map((d) => (d ? d.adwin.getState() : null)),
      bagRandom: this.bagRandom.getState(),
      drifts: { ...this.driftStats, driftPositions: [...this.driftStats.driftPositions] },
    };
  }

  override setState(s: DriftMoePlusState): void {
    super.setState(s);
    this.count = s.inputStats.count;
    this.mean.set(s.inputStats.mean);
    this.m2.set(s.inputStats.m2);
    s.detectors.forEach((d, i) => {
      let det: AdwinChangeDetector | null = null;
      if (d) {
        det = new AdwinChangeDetector(this.plus.driftDelta);
        det.adwin = Adwin.fromState(d);
      }
      this.detectors[i] = det;
    });
    this.bagRandom = JavaRandom.fromState(s.bagRandom);
    this.driftStats.driftDetections = s.drifts.driftDetections;
    this.driftStats.driftPositions = [...s.drifts.driftPositions];
  }

  override stats(): LearnerStats {
    return { ...super.stats(), driftDetections: this.driftStats.driftDetections, driftPositions: [...this.driftStats.driftPositions] };
  }
}

function pick(o: DriftMoePlusOptions): Partial<DriftMoePlus['plus']> {
  const out: Partial<DriftMoePlus['plus']> = {};
  if (o.standardize !== undefined) out.standardize = o.standardize;
  if (o.mixture !== undefined) out.mixture = o.mixture;
  if (o.lambda !== undefined) out.lambda = o.lambda;
  if (o.driftDelta !== undefined) out.driftDelta = o.driftDelta;
  return out;
}

export interface DriftMoePlusState extends DriftMoeDataState {
  plus: DriftMoePlus['plus'];
  inputStats: { count: number; mean: number[]; m2: number[] };
  detectors: (AdwinState | null)[];
  bagRandom: JavaRandomState;
  drifts: LearnerStats;
}

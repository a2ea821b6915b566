import { PrequentialEvaluator, type ClassificationMetrics, type PrequentialEvaluatorState, type Schema } from '@moe/stream';
import { createLearner, isMethod, METHODS, restoreLearner, type LearnerConfig, type LearnerState, type Method } from '../model/methods.js';
import type { StreamLearner } from '../model/stream-learner.js';
import { AccuracyDropMonitor, type AccuracyDropState } from './accuracy-drop.js';

/** A detection to store as a `DriftEvent` row. */
export interface DriftEventRecord {
  /** 1-based index of the instance (in this learner's life) at which it fired. */
  position: number;
  detector: string;
  kind: 'drift';
  details: Record<string, number | string>;
}

export interface CurvePoint {
  instances: number;
  /** Accuracy over the accuracy-drop monitor's window (saved with the state, unlike the evaluator's), in [0, 1]. */
  windowAccuracy: number;
  cumulativeAccuracy: number;
  /** Share of predictions each expert made since the previous point (MoE methods; empty otherwise). */
  expertShare: number[];
}

export interface SessionOptions {
  /** Window of the windowed metrics (1000, MOA's default). */
  windowSize?: number;
  /** A curve point every this many instances (100). */
  curveEvery?: number;
  /** Most curve points kept; beyond it every other point is dropped, halving the resolution (500). */
  maxCurvePoints?: number;
  /** Accuracy-drop alarm: window and drop threshold (500, 0.1). */
  dropWindow?: number;
  dropThreshold?: number;
  /** How often (instances) the learner's own detector count is polled; stats() copies arrays (100). */
  detectionCheckEvery?: number;
}

/** Everything a session saves: the learner, its counters and its monitor — JSON-compatible. */
export interface SessionState {
  format: 'drift-session/1';
  method: Method;
  schema: Schema;
  learner: unknown;
  monitor: AccuracyDropState;
  seen: number;
  correct: number;
  /** FNV-1a over every prediction made in test-then-train, in order: equal hashes ⇒ equal prediction sequences. */
  predictionHash: number;
  knownDetections: number;
  curve: CurvePoint[];
  usageAtLastPoint: number[];
  /** The windowed/kappa evaluator's counts; states saved before it was kept restart that evaluator empty. */
  evaluator?: PrequentialEvaluatorState;
}

const FNV_PRIME = 16777619;

const DETECTOR_NAME: Partial<Record<Method, string>> = { arf: 'arf-adwin', 'driftmoe-plus': 'adwin-expert-replacement' };

/**
 * One learner under prequential (test-then-train) evaluation, shared by the REST service and the worker:
 * every labelled instance is predicted, scored, then learnt; drift detections (the learner's own and the
 * accuracy-drop monitor's) come back as records to store. `getState` captures all of it, the windowed/kappa
 * evaluator included, so a restored session reports and continues exactly as the saved one.
 */
export class PrequentialSession {
  private evaluatorImpl: PrequentialEvaluator;
  private readonly opts: Required<SessionOptions>;
  private monitor: AccuracyDropMonitor;
  private seenCount = 0;
  private correctCount = 0;
  private hash = 0x811c9dc5;
  private knownDetections = 0;
  private readonly curvePoints: CurvePoint[] = [];
  private usageAtLastPoint: number[] = [];
  private pending: DriftEventRecord[] = [];

  private constructor(
    readonly method: Method,
    readonly learner: StreamLearner,
    options: SessionOptions,
  ) {
    this.opts = { windowSize: 1000, curveEvery: 100, maxCurvePoints: 500, dropWindow: 500, dropThreshold: 0.1, detectionCheckEvery: 100, ...options };
    this.evaluatorImpl = new PrequentialEvaluator(learner.schema.classAttribute.values.length, this.opts.windowSize);
    this.monitor = new AccuracyDropMonitor(this.opts.dropWindow, this.opts.dropThreshold);
  }

  static create(method: string, schema: Schema, config: LearnerConfig = {}, options: SessionOptions = {}): PrequentialSession {
    if (!isMethod(method)) throw new RangeError(`method: expected one of ${METHODS.join(', ')}, got '${method}'`);
    return new PrequentialSession(method, createLearner(method, schema, config), options);
  }

  /** Rebuilds a session from `getState()`; the learner then predicts exactly as the one saved. */
  static restore(state: SessionState, options: SessionOptions = {}): PrequentialSession {
    if (state?.format !== 'drift-session/1') throw new RangeError(`state.format: expected 'drift-session/1', got ${JSON.stringify(state?.format)}`);
    if (!isMethod(state.method)) throw new RangeError(`state.method: expected one of ${METHODS.join(', ')}, got '${String(state.method)}'`);
    const s = new PrequentialSession(state.method, restoreLearner(state.schema, state.learner as LearnerState), options);
    s.monitor = AccuracyDropMonitor.fromState(state.monitor);
    s.seenCount = state.seen;
    s.correctCount = state.correct;
    s.hash = state.predictionHash;
    s.knownDetections = state.knownDetections;
    s.curvePoints.push(...state.curve);
    s.usageAtLastPoint = [...state.usageAtLastPoint];
    if (state.evaluator !== undefined) {
      if (state.evaluator.windowSize !== s.opts.windowSize) throw new RangeError(`state.evaluator.windowSize: the session uses windows of ${s.opts.windowSize}, the state has ${state.evaluator.windowSize}`);
      s.evaluatorImpl = PrequentialEvaluator.fromState(state.evaluator);
    }
    return s;
  }

  get schema(): Schema {
    return this.learner.schema;
  }

  /** Cumulative and windowed accuracy/kappa of the predictions made so far. */
  get evaluator(): PrequentialEvaluator {
    return this.evaluatorImpl;
  }

  get seen(): number {
    return this.seenCount;
  }

  get correct(): number {
    return this.correctCount;
  }

  get predictionHash(): number {
    return this.hash;
  }

  get curve(): readonly CurvePoint[] {
    return this.curvePoints;
  }

  /** Prediction without learning (the learner still may draw random numbers, e.g. MoE-Task's dropout). */
  predict(x: Float64Array): number {
    return this.learner.predict(x);
  }

  /** Predicts `x`, scores the prediction against `y`, learns (x, y); returns the prediction. */
  testThenTrain(x: Float64Array, y: number): number {
    // Same array for predict and learn: the learner reuses the forward pass made for the prediction.
    const prediction = this.learner.predict(x);
    this.evaluatorImpl.add(y, prediction);
    this.learner.learn(x, y);
    this.seenCount++;
    const right = prediction === y;
    if (right) this.correctCount++;
    this.hash = Math.imul(this.hash ^ (prediction + 1), FNV_PRIME) >>> 0;
    const drop = this.monitor.add(right);
    if (drop !== null) {
      this.pending.push({ position: this.seenCount, detector: 'accuracy-drop', kind: 'drift', details: { from: drop.from, to: drop.to, window: drop.window } });
    }
    if (this.seenCount % this.opts.detectionCheckEvery === 0) this.pollDetections();
    if (this.seenCount % this.opts.curveEvery === 0) this.addCurvePoint();
    return prediction;
  }

  /** Drift events found since the last call (call after a batch; polls the learner's detectors first). */
  takeDriftEvents(): DriftEventRecord[] {
    this.pollDetections();
    const out = this.pending;
    this.pending = [];
    return out;
  }

  metrics(): { cumulative: ClassificationMetrics; window: ClassificationMetrics } {
    return { cumulative: this.evaluatorImpl.cumulative(), window: this.evaluatorImpl.windowed() };
  }

  getState(): SessionState {
    // Events found but not yet taken belong to instances already learnt: hand them out with the state's
    // counters, so a restore neither repeats nor loses them.
    if (this.pending.length > 0) throw new Error('PrequentialSession.getState: take the pending drift events first (takeDriftEvents)');
    return {
      format: 'drift-session/1',
      method: this.method,
      schema: this.schema,
      learner: this.learner.getState(),
      monitor: this.monitor.getState(),
      seen: this.seenCount,
      correct: this.correctCount,
      predictionHash: this.hash,
      knownDetections: this.knownDetections,
      curve: this.curvePoints.map((p) => ({ ...p, expertShare: [...p.expertShare] })),
      usageAtLastPoint: [...this.usageAtLastPoint],
      evaluator: this.evaluatorImpl.getState(),
    };
  }

  private pollDetections(): void {
    const stats = this.learner.stats();
    const fresh = stats.driftDetections - this.knownDetections;
    if (fresh <= 0) return;
    const detector = DETECTOR_NAME[this.method] ?? this.method;
    // driftPositions is capped; detections beyond what it still holds are counted without a position.
    for (const position of stats.driftPositions.slice(-Math.min(fresh, stats.driftPositions.length))) {
      this.pending.push({ position, detector, kind: 'drift', details: { method: this.method, detections: stats.driftDetections } });
    }
    this.knownDetections = stats.driftDetections;
  }

  private addCurvePoint(): void {
    const usage = this.learner.stats().expertUsage;
    const delta = usage.map((u, i) => u - (this.usageAtLastPoint[i] ?? 0));
    const total = delta.reduce((a, b) => a + b, 0);
    this.usageAtLastPoint = [...usage];
    this.curvePoints.push({ instances: this.seenCount, windowAccuracy: this.monitor.accuracy, cumulativeAccuracy: this.correctCount / this.seenCount, expertShare: delta.map((d) => (total > 0 ? d / total : 0)) });
    if (this.curvePoints.length > this.opts.maxCurvePoints) {
      const kept = this.curvePoints.filter((_, i) => i % 2 === 1);
      this.curvePoints.splice(0, this.curvePoints.length, ...kept);
    }
  }
}

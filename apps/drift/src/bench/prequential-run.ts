import { PrequentialEvaluator, type ClassificationMetrics, type Instance, type InstanceStream } from '@moe/stream';
import type { LearnerStats, StreamLearner } from '../model/stream-learner.js';

export interface CurvePoint {
  instances: number;
  /** Windowed accuracy (last `windowSize` instances), in [0, 1]. */
  windowAccuracy: number;
  cumulativeAccuracy: number;
  expertUsage: number[];
}

export interface PrequentialResult {
  metrics: ClassificationMetrics;
  window: ClassificationMetrics;
  seconds: number;
  instancesPerSecond: number;
  /** CPU time of this process (user + system): on a shared machine, wall time also counts waiting for a core. */
  cpuSeconds: number;
  instancesPerCpuSecond: number;
  curve: CurvePoint[];
  stats: LearnerStats;
}

export interface PrequentialOptions {
  /** Stop after this many instances (a generator is infinite). */
  limit?: number;
  windowSize?: number;
  /** Record a curve point every `curveEvery` instances (0 = none). */
  curveEvery?: number;
  onProgress?: (done: number, metrics: ClassificationMetrics) => void;
  progressEvery?: number;
}

/** What a prequential run reads: an (infinite) generator, or a finite sync/async sequence of instances. */
export type InstanceSource = InstanceStream | AsyncIterable<Instance> | Iterable<Instance>;

/**
 * Feeds `step` every instance of `source`: a generator `limit` times, a sequence until it ends or `stop()`
 * says so (checked before each instance, so a limit counted in labelled instances holds exactly).
 */
export async function forEachInstance(source: InstanceSource, limit: number, stop: () => boolean, step: (inst: Instance) => void): Promise<void> {
  if (typeof (source as InstanceStream).nextInstance === 'function') {
    const s = source as InstanceStream;
    for (let i = 0; i < limit; i++) step(s.nextInstance());
    return;
  }
  for await (const inst of source as AsyncIterable<Instance> | Iterable<Instance>) {
    if (stop()) break;
    step(inst);
  }
}

/** Test-then-train over a stream: every instance is predicted, scored, then learnt. */
export async function runPrequential(learner: StreamLearner, source: InstanceSource, options: PrequentialOptions = {}): Promise<PrequentialResult> {
  const evaluator = new PrequentialEvaluator(learner.schema.classAttribute.values.length, options.windowSize ?? 1000);
  const limit = options.limit ?? Infinity;
  const curve: CurvePoint[] = [];
  const curveEvery = options.curveEvery ?? 0;
  const progressEvery = options.progressEvery ?? 0;
  const lastUsage = new Map<number, number>();
  const step = (inst: Instance) => {
    if (inst.y !== inst.y) return; // unlabelled: nothing to score or learn
    evaluator.add(inst.y, learner.predict(inst.x));
    learner.learn(inst.x, inst.y);
    const n = evaluator.instances;
    if (curveEvery > 0 && n % curveEvery === 0) {
      const usage = learner.stats().expertUsage;
      // Usage over the last interval (not cumulative) shows how routing shifts after drifts.
      const delta = usage.map((u, i) => u - (lastUsage.get(i) ?? 0));
      usage.forEach((u, i) => lastUsage.set(i, u));
      curve.push({ instances: n, windowAccuracy: evaluator.windowed().accuracy, cumulativeAccuracy: evaluator.cumulative().accuracy, expertUsage: delta });
    }
    if (progressEvery > 0 && n % progressEvery === 0) options.onProgress?.(n, evaluator.cumulative());
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await forEachInstance(source, limit, () => evaluator.instances >= limit, step);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { metrics: evaluator.cumulative(), window: evaluator.windowed(), seconds, instancesPerSecond: evaluator.instances / seconds, cpuSeconds, instancesPerCpuSecond: evaluator.instances / cpuSeconds, curve, stats: learner.stats() };
}

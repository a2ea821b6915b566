import { JavaRandom, PrequentialEvaluator, type ClassificationMetrics, type Instance } from '@moe/stream';
import type { StreamLearner } from '../model/stream-learner.js';
import { forEachInstance, type InstanceSource } from './prequential-run.js';

export interface CvPrequentialOptions {
  /** k model copies (the authors' config: 10). */
  folds: number;
  /** Seed of the fold choice. */
  seed: number;
  limit?: number;
}

export interface CvPrequentialResult {
  metrics: ClassificationMetrics;
  seconds: number;
}

/**
 * k-fold distributed cross-validated prequential evaluation (Bifet et al. 2015), as in the DriftMoE authors'
 * `cv_prequential`: k copies of the learner (`makeLearner(i)`, the authors seed copy i with seed + i); each
 * instance is predicted by one copy chosen at random and used to train all the others. The authors draw the
 * fold with numpy's generator; we draw it with java.util.Random (seeded), which changes single runs, not the
 * protocol.
 */
export async function runCvPrequential(
  makeLearner: (fold: number) => StreamLearner,
  source: InstanceSource,
  options: CvPrequentialOptions,
): Promise<CvPrequentialResult> {
  const { folds } = options;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`runCvPrequential.folds: expected an integer ≥ 2, got ${folds}`);
  const learners = Array.from({ length: folds }, (_, i) => makeLearner(i));
  const evaluator = new PrequentialEvaluator(learners[0].schema.classAttribute.values.length);
  const pick = new JavaRandom(options.seed);
  const limit = options.limit ?? Infinity;
  const step = (inst: Instance) => {
    if (inst.y !== inst.y) return;
    const test = pick.nextInt(folds);
    evaluator.add(inst.y, learners[test].predict(inst.x));
    for (let i = 0; i < folds; i++) if (i !== test) learners[i].learn(inst.x, inst.y);
  };
  const t0 = performance.now();
  await forEachInstance(source, limit, () => evaluator.instances >= limit, step);
  return { metrics: evaluator.cumulative(), seconds: (performance.now() - t0) / 1000 };
}

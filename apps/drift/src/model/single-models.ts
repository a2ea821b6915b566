import { AdaptiveRandomForest, HoeffdingTree, type AdaptiveRandomForestOptions, type HoeffdingTreeOptions, type Schema } from '@moe/stream';
import type { LearnerStats, StreamLearner } from './stream-learner.js';

/** A single Hoeffding tree (MOA defaults) as a stream learner. */
export class HoeffdingTreeLearner extends HoeffdingTree implements StreamLearner {
  readonly method = 'ht';
  constructor(schema: Schema, options: HoeffdingTreeOptions = {}) {
    super(schema, options);
  }
  stats(): LearnerStats {
    return { expertUsage: [], driftDetections: 0, driftPositions: [] };
  }
  getState(): unknown {
    throw new Error('HoeffdingTreeLearner.getState: not implemented yet');
  }
}

/** Adaptive Random Forest (CapyMOA defaults) as a stream learner; its drift resets are the detections. */
export class ArfLearner extends AdaptiveRandomForest implements StreamLearner {
  readonly method = 'arf';
  constructor(schema: Schema, options: AdaptiveRandomForestOptions = {}) {
    super(schema, options);
  }
  stats(): LearnerStats {
    return { expertUsage: [], driftDetections: this.driftDetections, driftPositions: [...this.driftPositions] };
  }
  getState(): unknown {
    throw new Error('ArfLearner.getState: not implemented yet');
  }
}

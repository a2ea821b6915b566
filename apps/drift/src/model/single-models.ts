import { AdaptiveRandomForest, HoeffdingTree, treeFromState, treeState, type AdaptiveRandomForestOptions, type ArfState, type HoeffdingTreeOptions, type Schema, type TreeState } from '@moe/stream';
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
  getState(): { method: 'ht'; tree: TreeState } {
    return { method: 'ht', tree: treeState(this) };
  }
  static fromState(schema: Schema, s: { tree: TreeState }): HoeffdingTreeLearner {
    const t = treeFromState(schema, s.tree);
    const l = new HoeffdingTreeLearner(schema, s.tree.options);
    l.root = t.root;
    l.random = t.random;
    l.splits = t.splits;
    return l;
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
  override getState(): ArfState & { method: 'arf' } {
    return { method: 'arf', ...super.getState() };
  }
  static restore(schema: Schema, s: ArfState): ArfLearner {
    const src = AdaptiveRandomForest.fromState(schema, s);
    const l = new ArfLearner(schema, { ...s.options, ensembleSize: 1 });
    Object.assign(l, { options: src.options, members: src.members, random: src.random, instancesSeen: src.instancesSeen, driftDetections: src.driftDetections, warningDetections: src.warningDetections });
    l.driftPositions.splice(0, l.driftPositions.length, ...src.driftPositions);
    return l;
  }
}

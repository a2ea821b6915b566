import type { ArfState, Schema, TreeState } from '@moe/stream';
import { DriftMoeData, type DriftMoeDataOptions, type DriftMoeDataState } from './drift-moe-data.js';
import { DriftMoePlus, type DriftMoePlusState } from './drift-moe-plus.js';
import { DriftMoeTask, type DriftMoeTaskState } from './drift-moe-task.js';
import { ArfLearner, HoeffdingTreeLearner } from './single-models.js';
import type { StreamLearner } from './stream-learner.js';

export const METHODS = ['driftmoe-data', 'driftmoe-task', 'driftmoe-plus', 'ht', 'arf'] as const;
export type Method = (typeof METHODS)[number];

export interface LearnerConfig {
  seed?: number;
  /** MoE-Task router outputs (the authors' per-dataset class count); default the schema's classes. */
  taskOutputs?: number;
  /** ARF ensemble size (100). */
  arfSize?: number;
  /** MoE-Data fidelity switches (see DriftMoeDataOptions); default all off. */
  fidelity?: Pick<DriftMoeDataOptions, 'float32Router' | 'float32Votes' | 'routerDropout'>;
}

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

export function createLearner(method: string, schema: Schema, config: LearnerConfig = {}): StreamLearner {
  const seed = config.seed ?? 1;
  switch (method) {
    case 'driftmoe-data':
      return new DriftMoeData(schema, { seed, ...config.fidelity });
    case 'driftmoe-task':
      return new DriftMoeTask(schema, { seed, outputs: config.taskOutputs });
    case 'driftmoe-plus':
      return new DriftMoePlus(schema, { seed });
    case 'ht':
      return new HoeffdingTreeLearner(schema);
    case 'arf':
      return new ArfLearner(schema, { seed, ensembleSize: config.arfSize ?? 100 });
    default:
      throw new RangeError(`method: expected one of ${METHODS.join(', ')}, got '${method}'`);
  }
}

/** Any learner's `getState()` result (JSON-compatible). */
export type LearnerState = DriftMoeDataState | DriftMoeTaskState | DriftMoePlusState | { method: 'ht'; tree: TreeState } | (ArfState & { method: 'arf' });

/**
 * Rebuilds a learner from its state: it then predicts and learns exactly as the learner that was
 * snapshotted (every random generator, optimiser moment and pending router batch is part of the state).
 */
export function restoreLearner(schema: Schema, state: LearnerState): StreamLearner {
  switch (state.method) {
    case 'driftmoe-data': {
      const s = state as DriftMoeDataState;
      const l = new DriftMoeData(schema, s.options);
      l.setState(s);
      return l;
    }
    case 'driftmoe-plus': {
      const s = state as DriftMoePlusState;
      const l = new DriftMoePlus(schema, { ...s.options, ...s.plus });
      l.setState(s);
      return l;
    }
    case 'driftmoe-task': {
      const s = state as DriftMoeTaskState;
      const l = new DriftMoeTask(schema, s.options);
      l.setState(s);
      return l;
    }
    case 'ht':
      return HoeffdingTreeLearner.fromState(schema, state as { tree: TreeState });
    case 'arf':
      return ArfLearner.restore(schema, state as ArfState);
    default:
      throw new RangeError(`state.method: expected one of ${METHODS.join(', ')}, got '${String((state as { method: unknown }).method)}'`);
  }
}

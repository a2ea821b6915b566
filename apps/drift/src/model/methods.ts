import type { Schema } from '@moe/stream';
import { DriftMoeData } from './drift-moe-data.js';
import { DriftMoePlus } from './drift-moe-plus.js';
import { DriftMoeTask } from './drift-moe-task.js';
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
}

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

export function createLearner(method: string, schema: Schema, config: LearnerConfig = {}): StreamLearner {
  const seed = config.seed ?? 1;
  switch (method) {
    case 'driftmoe-data':
      return new DriftMoeData(schema, { seed });
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

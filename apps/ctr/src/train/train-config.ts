import { z } from 'zod';
import { dataSourceSchema } from '../data/load-rows.js';
import { featureConfigSchema, parseWithSchema } from '../features/feature-config.js';
import { modelConfigSchema } from '../model/model-config.js';

/** One training job: data, features (optional for synthetic data: the generator supplies them), model, training, output. */
export const trainConfigSchema = z.object({
  data: dataSourceSchema,
  features: featureConfigSchema.optional(),
  model: modelConfigSchema,
  training: z
    .object({
      epochs: z.number().int().positive().max(1000).default(4),
      batchSize: z.number().int().positive().max(65536).default(512),
      learningRate: z.number().positive().max(1).default(3e-3),
      embeddingLearningRate: z.number().positive().max(10).default(2e-2),
      embeddingOptimizer: z.enum(['adam', 'adagrad']).default('adam'),
      patience: z.number().int().positive().default(1),
      seed: z.number().int().default(1),
    })
    .prefault({}),
  /** Stream-order split fractions (train, validation; the rest is test). */
  split: z.object({ train: z.number().gt(0).lt(1).default(0.7), valid: z.number().gt(0).lt(1).default(0.1) }).prefault({}),
  /** Artefact directory (checkpoint with weights, model config and fitted feature processor). */
  out: z.string().min(1).optional(),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

export function parseTrainConfig(value: unknown): TrainConfig {
  return parseWithSchema(trainConfigSchema, value, 'trainConfig');
}

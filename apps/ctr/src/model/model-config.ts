import { z } from 'zod';
import { parseWithSchema } from '../features/feature-config.js';

export const MODEL_KINDS = ['shared-bottom', 'per-domain', 'mmoe', 'ple', 'star', 'adaptdhm', 'home'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const sizes = z.array(z.number().int().positive()).max(8);

/** Architecture hyper-parameters; one flat schema, each model reads the keys it needs. */
export const modelConfigSchema = z.object({
  kind: z.enum(MODEL_KINDS),
  seed: z.number().int().default(1),
  /** Bottom / expert / STAR-tower hidden sizes. */
  hidden: sizes.default([64, 32]),
  /** Per-task tower sizes before the per-domain output layer. */
  tower: sizes.default([16]),
  /** MMoE experts. */
  numExperts: z.number().int().positive().max(64).default(4),
  /** PLE/CGC: shared experts, specific experts per task, levels. */
  sharedExperts: z.number().int().positive().max(32).default(2),
  specificExperts: z.number().int().positive().max(32).default(1),
  levels: z.number().int().positive().max(4).default(1),
  /** MMoE/PLE gates: one per (domain, task) or one per task. */
  gate: z.enum(['domain-task', 'task']).default('domain-task'),
  /** STAR: partitioned normalisation and auxiliary network. */
  partitionedNorm: z.boolean().default(true),
  auxNetwork: z.boolean().default(true),
  /** AdaptDHM: clusters K, routing iterations, centre momentum β, routing source, dispatch. */
  clusters: z.number().int().positive().max(256).default(4),
  routingIterations: z.number().int().positive().max(10).default(3),
  centerMomentum: z.number().min(0).max(1).default(0.9),
  routing: z.enum(['cluster', 'domain']).default('cluster'),
  dispatch: z.enum(['sparse', 'dense']).default('sparse'),
  /** HoME parts (each can be ablated) and sizes. */
  home: z
    .object({
      bnSwish: z.boolean().default(true),
      hierarchy: z.boolean().default(true),
      featureGate: z.boolean().default(true),
      selfGate: z.boolean().default(true),
      loraRank: z.number().int().positive().default(4),
      metaShared: z.number().int().positive().default(2),
      metaPerCategory: z.number().int().positive().default(1),
      taskShared: z.number().int().positive().default(1),
      categoryShared: z.number().int().positive().default(1),
      taskSpecific: z.number().int().positive().default(1),
    })
    .prefault({}),
});

export type ModelConfigInput = z.input<typeof modelConfigSchema>;
export type ModelConfig = z.output<typeof modelConfigSchema>;

export function parseModelConfig(value: unknown): ModelConfig {
  return parseWithSchema(modelConfigSchema, value, 'model');
}

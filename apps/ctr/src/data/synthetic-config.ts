import { z } from 'zod';
import { parseWithSchema } from '../features/feature-config.js';

const unit = z.number().min(0).max(1);

export const syntheticTaskSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_]+$/),
  /** Meta-category (HoME hierarchy): tasks of one category share a category factor in their logits. */
  category: z.string().min(1).default('interact'),
  /** Target positive rate (for a chained task: rate given the parent is positive). */
  baseRate: z.number().gt(0).lt(1),
  /** Positive only after the parent task is positive (ESMM chain, e.g. conversion after click). */
  chainOf: z.string().optional(),
});

/** Knobs of the synthetic multi-domain generator (ctr.md §4.2). */
export const syntheticConfigSchema = z.object({
  rows: z.number().int().positive(),
  seed: z.number().int().default(1),
  numDomains: z.number().int().min(1).max(1000).default(8),
  /** Domain traffic n_d ∝ d^(−a). */
  zipfExponent: z.number().min(0).max(4).default(1),
  /** Latent user segments (clusters) K. */
  numClusters: z.number().int().min(1).max(256).default(4),
  /** Cross-cut ξ: 0 → clusters are unions of domains; 1 → clusters independent of domains. */
  xi: unit.default(0.5),
  numUsers: z.number().int().positive().default(2000),
  numItems: z.number().int().positive().default(1000),
  numCategories: z.number().int().positive().default(30),
  latentDim: z.number().int().positive().default(8),
  seqLen: z.number().int().positive().default(5),
  /** s: weight of the shared score f₀. */
  sharedSignal: z.number().min(0).default(1),
  /** δ: weight of the domain-specific score f_d. */
  domainSignal: z.number().min(0).default(0),
  /** κ: weight of the cluster-specific score f_z. */
  clusterSignal: z.number().min(0).default(0),
  /** Weight of each task's own score (multi-task regime). */
  taskSignal: z.number().min(0).default(0.7),
  rhoDomain: z.number().min(-1).max(1).default(0.3),
  rhoCluster: z.number().min(-1).max(1).default(0.3),
  /** Relatedness of a task's matrix to its category's (and of a category's to the shared one). */
  rhoTask: z.number().min(-1).max(1).default(0.5),
  /** σ_ε: per-row logit noise (part of the stored true p, so the oracle includes it). */
  noise: z.number().min(0).default(0),
  /** Base CTR of the head domain and of the last tail domain (linear in between). */
  baseCtr: z.tuple([z.number().gt(0).lt(1), z.number().gt(0).lt(1)]).default([0.1, 0.03]),
  /** Extra tasks beyond the main one (named by `mainTask`). */
  mainTask: z.string().regex(/^[A-Za-z0-9_]+$/).default('click'),
  extraTasks: z.array(syntheticTaskSchema).default([]),
  drift: z
    .object({
      /** Fraction of the stream after which the drift starts. */
      at: unit,
      /** rotate-clusters: fresh cluster matrices N_z; new-domain: an unseen domain takes 20 % of traffic. */
      kind: z.enum(['rotate-clusters', 'new-domain']),
    })
    .optional(),
});

export type SyntheticConfigInput = z.input<typeof syntheticConfigSchema>;
export type SyntheticConfig = z.output<typeof syntheticConfigSchema>;

export function parseSyntheticConfig(value: unknown): SyntheticConfig {
  const cfg = parseWithSchema(syntheticConfigSchema, value, 'synthetic');
  const names = [cfg.mainTask, ...cfg.extraTasks.map((t) => t.name)];
  cfg.extraTasks.forEach((t, i) => {
    if (names.indexOf(t.name) !== i + 1) throw new Error(`invalid synthetic: synthetic.extraTasks.${i}.name: duplicate task name '${t.name}'`);
    if (t.chainOf !== undefined && !names.slice(0, i + 1).includes(t.chainOf)) {
      throw new Error(`invalid synthetic: synthetic.extraTasks.${i}.chainOf: '${t.chainOf}' must name an earlier task (${names.slice(0, i + 1).join(', ')})`);
    }
  });
  return cfg;
}

import { z } from 'zod';
import YAML from 'yaml';

const name = z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

const vocabularyOptions = {
  /** Column in the raw rows; defaults to `name`. */
  source: z.string().min(1).optional(),
  /** 'build': vocabulary from the training split (values seen < minCount times map to the OOV id); 'hash': hash buckets. */
  vocab: z.enum(['build', 'hash']).default('build'),
  /** Number of hash buckets (required when vocab = 'hash'). */
  numBuckets: z.number().int().positive().max(1 << 24).optional(),
  minCount: z.number().int().positive().default(1),
  /** Keep at most this many most frequent values (bounds the table; the rest map to OOV). */
  maxVocab: z.number().int().positive().optional(),
};

export const categoricalFeatureSchema = z.object({ name, type: z.literal('categorical'), ...vocabularyOptions });

export const numericFeatureSchema = z.object({
  name,
  type: z.literal('numeric'),
  source: z.string().min(1).optional(),
  /** standard: (x − mean)/std; minmax: to [0, 1]; log-standard: log1p(max(x, 0)) then standard. Fitted on the training split only. */
  normalizer: z.enum(['standard', 'minmax', 'log-standard']).default('standard'),
  /** Used for missing values in training data (serving rejects missing fields). */
  fillNa: z.number().default(0),
});

export const sequenceFeatureSchema = z.object({
  name,
  type: z.literal('sequence'),
  ...vocabularyOptions,
  maxLen: z.number().int().positive().max(1024).default(10),
  /** Separator when the sequence arrives as one string. */
  splitter: z.string().min(1).default('^'),
  pooling: z.enum(['mean', 'sum']).default('mean'),
});

export const featureSchema = z.discriminatedUnion('type', [categoricalFeatureSchema, numericFeatureSchema, sequenceFeatureSchema]);

export const taskSchema = z.object({
  name,
  /** Label column (0/1). */
  label: z.string().min(1),
  /**
   * ESMM-style chain: this task's head predicts p(task | parent = 1) and is trained on p(parent)·p(task | parent)
   * against `label` over all impressions (e.g. CVR with chainOf 'ctr' and label = click ∧ conversion).
   */
  chainOf: name.optional(),
  /** Meta-category for HoME's hierarchy (tasks of one category share category experts). */
  category: z.string().min(1).default('default'),
  /** Loss weight. */
  weight: z.number().positive().default(1),
});

export const featureConfigSchema = z
  .object({
    embeddingDim: z.number().int().positive().max(512).default(8),
    domain: z.object({
      field: z.string().min(1),
      /** Fixed domain list; when absent it is built from the training split. */
      values: z.array(z.string().min(1)).min(1).optional(),
    }),
    features: z.array(featureSchema).min(1),
    tasks: z.array(taskSchema).min(1),
    /** Column grouping rows for GAUC (e.g. the user id). */
    groupField: z.string().min(1).optional(),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['features', i, 'name'], message: `duplicate feature name '${f.name}'` });
      seen.add(f.name);
      if (f.type !== 'numeric' && f.vocab === 'hash' && f.numBuckets === undefined) {
        ctx.addIssue({ code: 'custom', path: ['features', i, 'numBuckets'], message: `feature '${f.name}' uses vocab 'hash' and needs numBuckets (a positive integer)` });
      }
    });
    const tasks = new Set(cfg.tasks.map((t) => t.name));
    cfg.tasks.forEach((t, i) => {
      if (t.chainOf !== undefined && (!tasks.has(t.chainOf) || t.chainOf === t.name)) {
        ctx.addIssue({ code: 'custom', path: ['tasks', i, 'chainOf'], message: `task '${t.name}' chains on '${t.chainOf}', which is not another task (tasks: ${[...tasks].join(', ')})` });
      }
      if (t.chainOf !== undefined && cfg.tasks.find((p) => p.name === t.chainOf)?.chainOf !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tasks', i, 'chainOf'], message: `task '${t.name}': chains deeper than one level are not supported` });
      }
    });
  });

export type FeatureConfigInput = z.input<typeof featureConfigSchema>;
export type FeatureConfig = z.output<typeof featureConfigSchema>;
export type FeatureSpec = z.output<typeof featureSchema>;
export type CategoricalFeatureSpec = z.output<typeof categoricalFeatureSchema>;
export type NumericFeatureSpec = z.output<typeof numericFeatureSchema>;
export type SequenceFeatureSpec = z.output<typeof sequenceFeatureSchema>;
export type TaskSpec = z.output<typeof taskSchema>;

/**
 * Validates with a zod schema and throws one error listing every problem as `<label>.<path>: <message>`,
 * so a bad config names the offending field (e.g. `features.2.numBuckets`).
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [label, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  throw new Error(`invalid ${label}:\n  ${lines.join('\n  ')}`);
}

export function parseFeatureConfig(value: unknown): FeatureConfig {
  return parseWithSchema(featureConfigSchema, value, 'featureConfig');
}

/** Parses JSON or YAML text (chosen by file name, else by the first character). */
export function parseConfigText(text: string, fileName = ''): unknown {
  const yaml = /\.ya?ml$/i.test(fileName) || (!/\.json$/i.test(fileName) && !/^\s*[[{]/.test(text));
  try {
    return yaml ? (YAML.parse(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (e) {
    throw new Error(`cannot parse ${fileName || 'config'} as ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

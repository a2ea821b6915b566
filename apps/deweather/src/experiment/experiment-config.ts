import { z } from 'zod';
import { WEATHER_TYPES } from '@moe/vision';
import { FFN_VARIANTS } from '../model/ffn-blocks.js';
import { deweatherNetConfigSchema } from '../model/deweather-net-config.js';

const weatherType = z.enum(WEATHER_TYPES);

/** Everything one train/eval run needs (CLI flags, the bench and POST /train all go through this schema). */
export const experimentConfigSchema = z.strictObject({
  model: deweatherNetConfigSchema.omit({ variant: true, seed: true }).prefault({}),
  variants: z.array(z.enum(FFN_VARIANTS)).min(1).default(['mofme', 'moe', 'dense']),
  seeds: z.array(z.number().int().min(0)).min(1).default([1, 2, 3]),
  /** Types seen in training; the others in `evalTypes` are held out (out-of-distribution). */
  trainTypes: z.array(weatherType).min(1).default(['rain', 'haze', 'snow']),
  evalTypes: z.array(weatherType).min(1).default([...WEATHER_TYPES]),
  data: z.strictObject({
    side: z.number().int().min(16).max(1024).default(96),
    crop: z.number().int().min(8).max(512).default(48),
    procedural: z.strictObject({ train: z.number().int().min(0).max(1000).default(12), val: z.number().int().min(0).max(200).default(3), test: z.number().int().min(0).max(200).default(3) }).prefault({}),
    real: z.boolean().default(true),
    valCropsPerImage: z.number().int().min(1).max(64).default(2),
    testCropsPerImage: z.number().int().min(1).max(64).default(4),
  }).prefault({}),
  training: z.strictObject({
    steps: z.number().int().min(1).max(100_000).default(200),
    batch: z.number().int().min(1).max(64).default(6),
    learningRate: z.number().gt(0).max(1).default(2e-3),
    evalEvery: z.number().int().min(1).default(50),
  }).prefault({}),
});

export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;

export function parseExperimentConfig(input: unknown): ExperimentConfig {
  const r = experimentConfigSchema.safeParse(input ?? {});
  if (!r.success) throw new Error(`invalid deweather experiment config: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  if (r.data.data.crop > r.data.data.side) throw new Error(`invalid deweather experiment config: data.crop (${r.data.data.crop}) must be ≤ data.side (${r.data.data.side})`);
  if (r.data.data.crop % r.data.model.patch !== 0) throw new Error(`invalid deweather experiment config: data.crop (${r.data.data.crop}) must be a multiple of model.patch (${r.data.model.patch})`);
  return r.data;
}

import { z } from 'zod';
import { WEATHER_TYPES } from '@moe/vision';
import { FFN_VARIANTS } from '../model/ffn-blocks.js';

/** Body of POST /train: one model (variant + seed), trained on synthetic weather over the clean images. */
export const trainRequestSchema = z.strictObject({
  variant: z.enum(FFN_VARIANTS).default('mofme'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  // Required: how long to train is a deliberate choice, and an empty body must not start a run.
  steps: z.number().int().min(1).max(5000),
  batch: z.number().int().min(1).max(32).default(6),
  learningRate: z.number().gt(0).max(0.1).default(2e-3),
  trainTypes: z.array(z.enum(WEATHER_TYPES)).min(1).default([...WEATHER_TYPES]),
  experts: z.number().int().min(2).max(64).default(8),
  dim: z.number().int().min(8).max(256).default(48),
  /** Serve the model once trained (default true). */
  activate: z.boolean().default(true),
});

export type TrainRequest = z.output<typeof trainRequestSchema>;

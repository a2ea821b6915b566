import { z } from 'zod';
import { FFN_VARIANTS } from './ffn-blocks.js';

/** The restoration network's hyper-parameters (zod-checked: every field named on error). */
export const deweatherNetConfigSchema = z.strictObject({
  variant: z.enum(FFN_VARIANTS).default('mofme'),
  /** Token width D. */
  dim: z.number().int().min(4).max(1024).default(48),
  heads: z.number().int().min(1).max(32).default(4),
  /** Transformer layers, each with an MoE (or dense) FFN. */
  depth: z.number().int().min(1).max(12).default(2),
  /** Patch side p: tokens are (H/p)·(W/p). */
  patch: z.number().int().min(1).max(16).default(4),
  /** Channels of the full-resolution conv head and tail. */
  channels: z.number().int().min(1).max(128).default(8),
  experts: z.number().int().min(1).max(256).default(8),
  k: z.number().int().min(1).max(16).default(2),
  uarSamples: z.number().int().min(2).max(32).default(5),
  uarDropout: z.number().gt(0).lt(1).default(0.1),
  balanceWeight: z.number().min(0).max(10).default(0.01),
  seed: z.number().int().min(0).default(0),
});

export type DeweatherNetConfig = z.output<typeof deweatherNetConfigSchema>;
export type DeweatherNetConfigInput = z.input<typeof deweatherNetConfigSchema>;

/** Parses a config, throwing one error that names every bad field (`config.dim: …`). */
export function parseDeweatherNetConfig(input: unknown): DeweatherNetConfig {
  const r = deweatherNetConfigSchema.safeParse(input ?? {});
  if (!r.success) throw new Error(`invalid deweather model config: ${r.error.issues.map((i) => `config.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (r.data.k > r.data.experts) throw new Error(`invalid deweather model config: config.k (${r.data.k}) must be ≤ config.experts (${r.data.experts})`);
  if (r.data.dim % r.data.heads !== 0) throw new Error(`invalid deweather model config: config.dim (${r.data.dim}) must be a multiple of config.heads (${r.data.heads})`);
  return r.data;
}

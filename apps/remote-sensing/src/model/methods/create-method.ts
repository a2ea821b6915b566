import { BottleneckMethod } from './bottleneck-method.js';
import { EarthAdapter } from './earth-adapter.js';
import { LoraMethod } from './lora-method.js';
import type { MethodAdapters } from './method-adapters.js';
import type { MethodKind } from './method-kind.js';
import { MixtureAblation } from './mixture-ablation.js';
import { NoAdapters } from './no-adapters.js';
import { REIN_TOKENS, type BudgetShape } from './equal-budget.js';
import { ReinTokens } from './rein-tokens.js';

/** What a method is built from: its kind, its one size (see equal-budget.ts), the cut-off, a seed. */
export interface MethodSpec {
  kind: MethodKind;
  size: number;
  cutoff: number;
  seed: number;
}

export function createMethod(spec: MethodSpec, shape: BudgetShape): MethodAdapters {
  const { channels, depth, mlpRatio } = shape;
  const { size, cutoff, seed } = spec;
  switch (spec.kind) {
    case 'earth-adapter':
      return new EarthAdapter({ channels, depth, adapterDim: size, cutoff, seed });
    case 'spatial-mixture':
    case 'frequency-no-router':
      return new MixtureAblation({ method: spec.kind, channels, depth, adapterDim: size, cutoff, seed });
    case 'rein':
      return new ReinTokens({ channels, depth, tokens: REIN_TOKENS, rank: size, seed });
    case 'lora':
      return new LoraMethod({ channels, depth, mlpRatio, rank: size, seed });
    case 'bottleneck':
      return new BottleneckMethod({ channels, depth, bottleneckDim: size, seed });
    case 'head-only':
    case 'full-finetune':
      return new NoAdapters(spec.kind);
  }
}

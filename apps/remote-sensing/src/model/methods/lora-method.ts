import * as tf from '@tensorflow/tfjs-core';
import { LoraExperts, applyAllExperts, deriveSeed, type ModuleConfig } from '@moe/core';
import type { BlockHooks, LinearSite } from '@moe/vision';
import { MethodAdapters } from './method-adapters.js';

/** The linears LoRA adapts (both read the C-wide normalised tokens). */
export const LORA_SITES: readonly LinearSite[] = ['qkv', 'fc1'];

/** Output width of a LoRA site for channel width c and MLP ratio. */
export function loraSiteOutput(site: LinearSite, channels: number, mlpRatio: number): number {
  if (site === 'qkv') return 3 * channels;
  if (site === 'fc1') return channels * mlpRatio;
  return channels;
}

/** Configuration of {@link LoraMethod}. */
export interface LoraMethodConfig {
  channels: number;
  depth: number;
  mlpRatio: number;
  rank: number;
  seed?: number;
}

/**
 * LoRA on the attention qkv and MLP fc1 linears of every block: W x + A·B x with core's LoraExperts
 * (one expert, B zero-initialised, scale α/r = 1), added through the backbone's linear hook.
 */
export class LoraMethod extends MethodAdapters {
  readonly kind = 'LoraMethod';
  readonly method = 'lora' as const;
  private readonly settings: Required<LoraMethodConfig>;
  private readonly banks = new Map<string, LoraExperts>();

  constructor(config: LoraMethodConfig) {
    super();
    this.settings = { seed: 0, ...config };
    const { channels: c, depth, rank, seed, mlpRatio } = this.settings;
    for (let l = 0; l < depth; l++) {
      for (const site of LORA_SITES) {
        const outputDim = loraSiteOutput(site, c, mlpRatio);
        const name = `${site}${l}`;
        this.banks.set(name, this.addChild(name, new LoraExperts({ numExperts: 1, inputDim: c, outputDim, rank, alpha: rank, seed: deriveSeed(seed, name) })));
      }
    }
  }

  hooks(): BlockHooks {
    return {
      linearDelta: (l, site, input) => {
        const bank = this.banks.get(`${site}${l}`);
        if (!bank) return undefined;
        return tf.tidy(() => tf.reshape(applyAllExperts(bank, input), [input.shape[0], bank.outputDim]) as tf.Tensor2D);
      },
    };
  }

  getConfig(): ModuleConfig {
    return { ...this.settings };
  }
}

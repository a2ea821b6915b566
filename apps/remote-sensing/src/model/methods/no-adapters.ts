import type { ModuleConfig } from '@moe/core';
import type { BlockHooks } from '@moe/vision';
import { MethodAdapters } from './method-adapters.js';

/** Head-only and full fine-tuning: nothing is added to the backbone (what trains is the model's choice). */
export class NoAdapters extends MethodAdapters {
  readonly kind = 'NoAdapters';
  constructor(readonly method: 'head-only' | 'full-finetune') {
    super();
  }
  hooks(): BlockHooks {
    return {};
  }
  getConfig(): ModuleConfig {
    return { method: this.method };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { DenseFfn } from '../experts/dense-ffn.js';
import type { ExpertBank } from '../experts/expert-bank.js';
import type { Linear } from '../experts/linear.js';
import { Module, type ModuleConfig } from '../module/module.js';
import type { Router } from '../routers/router.js';
import { moduleSpec } from './module-registry.js';
import { MoeLayer, type MoeApplyOptions, type MoeForward, type MoeLayerOptions } from './moe-layer.js';

/** The frozen pretrained layer the adapters sit beside. */
export type AdapterBase = DenseFfn | Linear;

/**
 * Mixture of adapters parallel to a frozen layer: y = base(x) + Σ_e g_e(x)·adapter_e(x). With LoRA experts
 * on a frozen Linear this is MixLoRA / LoRAMoE (the base GEMM runs once for all tokens; only the low-rank
 * deltas are routed); with rank-one experts SMoRA; with bottleneck adapters beside a frozen FFN, MixDA.
 * The base's weights are frozen here whatever its own `trainable` flag says: only router and adapters train.
 */
export class MixtureOfAdapters extends Module {
  readonly kind = 'MixtureOfAdapters';
  readonly base: AdapterBase;
  readonly moe: MoeLayer;

  constructor(base: AdapterBase, router: Router, adapters: ExpertBank, options: Omit<MoeLayerOptions, 'shared'> = {}) {
    super();
    if (adapters.inputDim !== base.inputDim || adapters.outputDim !== base.outputDim) {
      throw new Error(`MixtureOfAdapters: adapters must map ${base.inputDim} → ${base.outputDim} like the base; got ${adapters.inputDim} → ${adapters.outputDim}`);
    }
    this.base = this.addChild('base', base);
    this.moe = this.addChild('moe', new MoeLayer(router, adapters, options));
  }

  /** Only the router and the adapters: the base stays frozen. */
  override trainableVariables(): tf.Variable[] {
    return this.moe.trainableVariables();
  }

  apply(x: tf.Tensor, options: MoeApplyOptions): MoeForward {
    const f = this.moe.apply(x, options);
    const output = tf.tidy(() => tf.add(this.base.apply(x), f.output));
    f.output.dispose();
    return { ...f, output };
  }

  getConfig(): ModuleConfig {
    return { base: { ...moduleSpec(this.base) }, moe: this.moe.getConfig() };
  }
}

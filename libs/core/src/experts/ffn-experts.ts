import type * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from '@moe/kernels';
import type { ModuleConfig } from '../module/module.js';
import { checkActivation, type ExpertActivation } from './activation.js';
import { checkInput, checkInt, checkNumber } from './check.js';
import { ExpertBank } from './expert-bank.js';
import { ffnForward, type FfnWeights } from './ffn-math.js';
import { createFfnParams, ffnParamCount, type FfnShape } from './ffn-params.js';
import { withGroupedOps } from './linear-ops.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** Configuration of {@link FfnExperts}. */
export interface FfnExpertsConfig {
  numExperts: number;
  inputDim: number;
  /** Hidden width of EACH expert (fine-grained experts: a fraction of the dense FFN's, DeepSeekMoE). */
  hiddenDim: number;
  outputDim?: number;
  /** 'relu' | 'gelu' | 'swish' | 'identity' | 'swiglu' | 'geglu'; default 'gelu'. */
  activation?: ExpertActivation;
  bias?: boolean;
  seed?: number;
}

/** Every key of {@link FfnExpertsConfig} (checked against the type by `configFields`): any other key is refused. */
export const FFN_EXPERTS_FIELDS = configFields<FfnExpertsConfig>()(['numExperts', 'inputDim', 'hiddenDim', 'outputDim', 'activation', 'bias', 'seed']);

/** Internal spec shared by the FFN-shaped banks (LoRA, rank-one, bottleneck adapters are FFN banks too). */
export interface FfnBankSpec extends FfnShape {
  numExperts: number;
  /** Output multiplier (LoRA's alpha / rank). */
  scale: number;
  seed: number;
}

/**
 * E independent FFN experts, weights stacked as w1 [E, d, h], w2 [E, h, o] (+ b1 [E, h], b2 [E, o],
 * w3 [E, d, h] for GLU variants) — Tutel's / keras-hub's canonical layout.
 */
export class FfnExperts extends ExpertBank {
  readonly kind: string = 'FfnExperts';
  readonly spec: FfnBankSpec;
  protected readonly w: FfnWeights;

  constructor(config: FfnExpertsConfig);
  constructor(config: FfnBankSpec, owner: string);
  constructor(config: FfnExpertsConfig | FfnBankSpec, owner?: string) {
    super();
    if (owner === undefined) {
      const c = config as FfnExpertsConfig;
      checkConfigFields('FfnExperts', c, FFN_EXPERTS_FIELDS);
      checkInt('FfnExperts', 'hiddenDim', c.hiddenDim);
      const activation = c.activation ?? 'gelu';
      checkActivation('FfnExperts', 'activation', activation);
      this.spec = { numExperts: c.numExperts, inputDim: c.inputDim, hiddenDim: c.hiddenDim, outputDim: c.outputDim ?? c.inputDim, activation, bias: c.bias ?? true, zeroOutput: false, scale: 1, seed: c.seed ?? 0 };
    } else {
      this.spec = config as FfnBankSpec;
    }
    const name = owner ?? 'FfnExperts';
    checkInt(name, 'numExperts', this.spec.numExperts);
    checkInt(name, 'inputDim', this.spec.inputDim);
    checkInt(name, 'outputDim', this.spec.outputDim);
    checkNumber(name, 'scale', this.spec.scale);
    this.w = createFfnParams((n, t, tr) => this.addParam(n, t, tr), this.spec, this.spec.seed, [this.spec.numExperts]);
  }

  get numExperts(): number {
    return this.spec.numExperts;
  }
  get inputDim(): number {
    return this.spec.inputDim;
  }
  get outputDim(): number {
    return this.spec.outputDim;
  }

  forwardGrouped(x: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D {
    checkInput(`${this.kind}.forwardGrouped`, 'x', x, [2], this.spec.inputDim);
    return withGroupedOps(plan, (ops) => ffnForward(x, this.w, this.spec.activation, ops, this.spec.scale));
  }

  paramsPerExpert(): number {
    return ffnParamCount(this.spec);
  }

  getConfig(): ModuleConfig {
    const s = this.spec;
    return { numExperts: s.numExperts, inputDim: s.inputDim, hiddenDim: s.hiddenDim, outputDim: s.outputDim, activation: s.activation, bias: s.bias, seed: s.seed };
  }
}

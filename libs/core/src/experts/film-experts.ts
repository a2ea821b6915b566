import * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from '@moe/kernels';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { activate } from './activation.js';
import { checkInput, checkInt } from './check.js';
import { ExpertBank } from './expert-bank.js';
import { glorotUniform, noisyConstant } from './init.js';
import { denseOps, withGroupedOps, type LinearOps } from './linear-ops.js';
import { checkConfigFields, configFields } from '../config/config-fields.js';

/** 'vector': γ_e, β_e ∈ R^h (the paper's figure); 'linear': γ_e(h) = h·Wγ_e + bγ_e, β_e likewise (the released code). */
export type FilmModulation = 'vector' | 'linear';

/** Configuration of {@link FilmExperts}. */
export interface FilmExpertsConfig {
  numExperts: number;
  inputDim: number;
  /** Width h of the shared block (default inputDim). */
  hiddenDim?: number;
  /** Default 'vector' (2h parameters per expert instead of a whole FFN). */
  modulation?: FilmModulation;
  seed?: number;
}

/** Every key of {@link FilmExpertsConfig} (checked against the type by `configFields`): any other key is refused. */
export const FILM_EXPERTS_FIELDS = configFields<FilmExpertsConfig>()(['numExperts', 'inputDim', 'hiddenDim', 'modulation', 'seed']);

/**
 * MoFME feature-modulated experts: ONE shared GLU-like block h = GELU(x·Wa) ⊙ (x·Wb) runs once per token
 * (`preDispatch`), and expert e only modulates it, y_e = γ_e ⊙ h + β_e (FiLM). E experts cost 2hE
 * parameters on top of the shared block instead of E FFNs. Output width = hiddenDim.
 */
export class FilmExperts extends ExpertBank {
  readonly kind = 'FilmExperts';
  readonly numExperts: number;
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly modulation: FilmModulation;
  readonly seed: number;
  private readonly wa: tf.Variable;
  private readonly wb: tf.Variable;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly gammaBias?: tf.Variable;
  private readonly betaBias?: tf.Variable;

  constructor(config: FilmExpertsConfig) {
    super();
    checkConfigFields('FilmExperts', config, FILM_EXPERTS_FIELDS);
    checkInt('FilmExperts', 'numExperts', config.numExperts);
    checkInt('FilmExperts', 'inputDim', config.inputDim);
    const h = config.hiddenDim ?? config.inputDim;
    checkInt('FilmExperts', 'hiddenDim', h);
    const modulation = config.modulation ?? 'vector';
    if (modulation !== 'vector' && modulation !== 'linear') throw new Error(`FilmExperts: modulation must be 'vector' or 'linear'; got ${JSON.stringify(modulation)}`);
    this.numExperts = config.numExperts;
    this.inputDim = config.inputDim;
    this.hiddenDim = h;
    this.modulation = modulation;
    this.seed = config.seed ?? 0;
    const s = (n: string) => deriveSeed(this.seed, n);
    const e = this.numExperts;
    this.wa = this.addParam('wa', glorotUniform([this.inputDim, h], s('wa')));
    this.wb = this.addParam('wb', glorotUniform([this.inputDim, h], s('wb')));
    if (modulation === 'vector') {
      // Noise around identity modulation so experts differ from step 0 and the router has something to pick.
      this.gamma = this.addParam('gamma', noisyConstant([e, h], 1, 0.1, s('gamma')));
      this.beta = this.addParam('beta', noisyConstant([e, h], 0, 0.1, s('beta')));
    } else {
      this.gamma = this.addParam('gamma', glorotUniform([e, h, h], s('gamma'), 0.1));
      this.gammaBias = this.addParam('gammaBias', tf.ones([e, h]));
      this.beta = this.addParam('beta', glorotUniform([e, h, h], s('beta'), 0.1));
      this.betaBias = this.addParam('betaBias', tf.zeros([e, h]));
    }
  }

  get outputDim(): number {
    return this.hiddenDim;
  }

  /** The shared block, once per token. */
  override preDispatch(x: tf.Tensor2D): tf.Tensor2D {
    checkInput('FilmExperts.preDispatch', 'x', x, [2], this.inputDim);
    return tf.tidy(() => tf.mul(activate(denseOps.linear(x, this.wa), 'gelu'), denseOps.linear(x, this.wb)) as tf.Tensor2D);
  }

  forwardGrouped(h: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D {
    checkInput('FilmExperts.forwardGrouped', 'h', h, [2], this.hiddenDim);
    return withGroupedOps(plan, (ops) => this.modulate(h, ops));
  }

  private modulate(h: tf.Tensor2D, ops: LinearOps): tf.Tensor2D {
    if (this.modulation === 'vector') return tf.add(tf.mul(ops.perRow(this.gamma), h), ops.perRow(this.beta)) as tf.Tensor2D;
    const g = ops.linear(h, this.gamma, this.gammaBias);
    const b = ops.linear(h, this.beta, this.betaBias);
    return tf.add(tf.mul(g, h), b) as tf.Tensor2D;
  }

  paramsPerExpert(): number {
    const h = this.hiddenDim;
    return this.modulation === 'vector' ? 2 * h : 2 * (h * h + h);
  }

  /** Parameters of the shared block every token runs. */
  sharedParams(): number {
    return 2 * this.inputDim * this.hiddenDim;
  }

  getConfig(): ModuleConfig {
    return { numExperts: this.numExperts, inputDim: this.inputDim, hiddenDim: this.hiddenDim, modulation: this.modulation, seed: this.seed };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { checkConfigFields, configFields } from '../config/config-fields.js';
import { MoeConfigError } from '../errors/moe-error.js';
import { checkActivation, type ExpertActivation } from '../experts/activation.js';
import { checkInput, checkInt } from '../experts/check.js';
import { DenseFfn } from '../experts/dense-ffn.js';
import { ffnParamCount } from '../experts/ffn-params.js';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkOneOf } from '../routers/validate.js';

/**
 * How {@link GatedExpertHeads} turns its heads' probabilities into one score:
 * - 'gate': GS-MoE's class experts, s = Σ_c w_c·σ(e_c) with w = softmax(gate([x, e])), the gate seeing the
 *   features and every expert's logit;
 * - 'max': one head per class, no gate, s = max_c σ(e_c) (GS-MoE's multi-head control);
 * - 'single': one head, s = σ(e_0) (`numExperts` must be 1).
 */
export type ExpertHeadMix = 'gate' | 'max' | 'single';
export const EXPERT_HEAD_MIXES: readonly ExpertHeadMix[] = ['gate', 'max', 'single'];

/** Configuration of {@link GatedExpertHeads}. */
export interface GatedExpertHeadsConfig {
  inputDim: number;
  /** Hidden width of every expert head and of the gate. */
  hiddenDim: number;
  /** Expert heads C (one per class); 1 for 'single'. */
  numExperts: number;
  mix: ExpertHeadMix;
  /** Hidden activation of the heads and the gate (default 'gelu'). */
  activation?: ExpertActivation;
  seed?: number;
}

/** Every key of {@link GatedExpertHeadsConfig} (checked against the type by `configFields`): any other key is refused. */
export const GATED_EXPERT_HEADS_FIELDS = configFields<GatedExpertHeadsConfig>()(['inputDim', 'hiddenDim', 'numExperts', 'mix', 'activation', 'seed']);

/** What {@link GatedExpertHeads.apply} returns for x [..., inputDim]; the caller disposes it ({@link disposeGatedExpertHeads}). */
export interface GatedExpertHeadsOutput {
  /** The mixed probability, [...] (x's shape without its last axis). */
  score: tf.Tensor;
  /** σ(e_c) of every head, [..., C]; null for 'single'. */
  expertProbs: tf.Tensor | null;
  /** Gate weights w_c, [..., C] (rows sum to 1); null unless 'gate'. */
  gate: tf.Tensor | null;
}

export function disposeGatedExpertHeads(out: GatedExpertHeadsOutput): void {
  for (const t of [out.score, out.expertProbs, out.gate]) t?.dispose();
}

/** Trainable parameters of a configuration, without building it (for matching capacities). */
export function gatedExpertHeadsParamCount(config: GatedExpertHeadsConfig): number {
  const { inputDim, hiddenDim, numExperts } = config;
  const shape = { hiddenDim, activation: config.activation ?? 'gelu', bias: true, zeroOutput: false };
  const heads = numExperts * ffnParamCount({ ...shape, inputDim, outputDim: 1 });
  return config.mix === 'gate' ? heads + ffnParamCount({ ...shape, inputDim: inputDim + numExperts, outputDim: numExperts }) : heads;
}

/**
 * A probability score from C expert heads (one logit each, a DenseFfn inputDim → hiddenDim → 1), mixed by a
 * gate (GS-MoE), by their maximum (multi-head) or a single head; see {@link ExpertHeadMix}. Children are
 * `head<c>` and `gate`, seeded `deriveSeed(seed, 'head<c>')` and `deriveSeed(seed, 'gate')`, so a model that
 * used to own these DenseFfns itself keeps its initial weights and weight names. Accepts [..., inputDim].
 */
export class GatedExpertHeads extends Module {
  readonly kind = 'GatedExpertHeads';
  readonly config: Required<GatedExpertHeadsConfig>;
  private readonly heads: DenseFfn[];
  private readonly gate: DenseFfn | null;

  constructor(config: GatedExpertHeadsConfig) {
    super();
    const owner = 'GatedExpertHeads';
    checkConfigFields(owner, config, GATED_EXPERT_HEADS_FIELDS);
    this.config = { ...config, activation: config.activation ?? 'gelu', seed: config.seed ?? 0 };
    const { inputDim, hiddenDim, numExperts, mix, activation, seed } = this.config;
    checkInt(owner, 'inputDim', inputDim);
    checkInt(owner, 'hiddenDim', hiddenDim);
    checkInt(owner, 'numExperts', numExperts);
    checkOneOf(owner, 'mix', mix, EXPERT_HEAD_MIXES);
    checkActivation(owner, 'activation', activation);
    if (mix === 'single' && numExperts !== 1) throw new MoeConfigError('invalid_field', owner, `${owner}: numExperts must be 1 when mix is 'single'; got ${numExperts}`, 'numExperts');
    this.heads = Array.from({ length: numExperts }, (_, i) => this.addChild(`head${i}`, new DenseFfn({ inputDim, hiddenDim, outputDim: 1, activation, seed: deriveSeed(seed, `head${i}`) })));
    this.gate = mix === 'gate' ? this.addChild('gate', new DenseFfn({ inputDim: inputDim + numExperts, hiddenDim, outputDim: numExperts, activation, seed: deriveSeed(seed, 'gate') })) : null;
  }

  get numExperts(): number {
    return this.config.numExperts;
  }

  get mix(): ExpertHeadMix {
    return this.config.mix;
  }

  apply(x: tf.Tensor): GatedExpertHeadsOutput {
    checkInput('GatedExpertHeads.apply', 'x', x, [2, 3, 4], this.config.inputDim);
    const last = x.rank - 1;
    return tidyObject(() => {
      const logits = this.heads.map((head) => head.apply(x));
      if (this.config.mix === 'single') return { score: tf.reshape(tf.sigmoid(logits[0]), x.shape.slice(0, last)), expertProbs: null, gate: null };
      const expertLogits = tf.concat(logits, last);
      const expertProbs = tf.sigmoid(expertLogits);
      if (this.gate === null) return { score: tf.max(expertProbs, last), expertProbs, gate: null };
      // The gate sees each expert's logit, not only the features: it can trust the expert that is confident.
      const gate = tf.softmax(this.gate.apply(tf.concat([x, expertLogits], last)));
      return { score: tf.sum(tf.mul(gate, expertProbs), last), expertProbs, gate };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}

/**
 * The expert that "fired" at each position, 0-based, int32 [...]: the largest contribution w_c·σ(e_c) with a
 * gate, the largest σ(e_c) without one (so always 0 for a single head's [..., 1] probabilities).
 */
export function topContributingExpert(expertProbs: tf.Tensor, gate: tf.Tensor | null): tf.Tensor {
  return tf.tidy(() => tf.argMax(gate === null ? expertProbs : tf.mul(gate, expertProbs), expertProbs.rank - 1));
}

import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import { CAPACITY_FIELDS, type CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { jitter } from './randomness.js';
import { scatterColumns } from './selection.js';
import { maskRows } from '../losses/token-mask.js';
import { selectTopK } from './token-choice.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { importanceLoss, loadLoss } from '../losses/cv-squared.js';
import { DEFAULT_LOSS_COEFFICIENTS } from '../losses/coefficients.js';
import { checkBoolean, checkInt, checkNumber, checkOneOf } from './validate.js';

/**
 * Noise on the logits in training:
 * - 'none';
 * - 'learned' (Shazeer 2017): ε · (softplus(x W_noise) + noiseEpsilon), ε ~ N(0, 1), W_noise trained;
 * - 'gaussian' (V-MoE, Tutel): ε · noiseStd / E.
 * With noise on, the router adds Shazeer's importance and (smooth) load CV² losses.
 */
export type NoiseKind = 'none' | 'learned' | 'gaussian';
/** Every {@link NoiseKind}, for validation and UIs. */
export const NOISE_KINDS: readonly NoiseKind[] = ['none', 'learned', 'gaussian'];

/** Configuration of {@link TopKRouter}. */
export interface TopKRouterConfig extends GatedRouterConfig, CapacityConfig {
  /** Experts per token (default 2). */
  k?: number;
  /** Renormalise the k weights to sum 1 (Tutel, DeepSpeed, Mixtral; default true). Not allowed with k = 1. */
  normalize?: boolean;
  noise?: NoiseKind;
  /** 'gaussian' noise scale before the 1/E factor (default 1, V-MoE). */
  noiseStd?: number;
  /** Floor added to the learned softplus noise scale (default 1e-2, tensor2tensor). */
  noiseEpsilon?: number;
  /** Multiplicative input jitter ε: x·U[1−ε, 1+ε] in training (default 0; mesh-tf Switch uses 1e-2). */
  jitter?: number;
  /** Weight of CV²(importance) when noise is on (default 1e-2). */
  importanceWeight?: number;
  /** Weight of CV²(smooth load) when noise is on (default 1e-2). */
  loadWeight?: number;
}

export const TOP_K_FIELDS = [...GATED_FIELDS, ...CAPACITY_FIELDS, 'k', 'normalize', 'noise', 'noiseStd', 'noiseEpsilon', 'jitter', 'importanceWeight', 'loadWeight'] as const;

/**
 * Token-choice top-k router (GShard / Shazeer / Mixtral): logits ℓ = gate(x); selection on the (noisy)
 * logits; weights are the softmax probabilities of the selected experts, taken over all E experts first (so
 * k = 1 still has a router gradient) and optionally renormalised over the k. `probs` are the clean softmax.
 */
export class TopKRouter extends TokenChoiceRouter {
  readonly kind: string = 'TopKRouter';
  readonly k: number;
  readonly normalize: boolean;
  readonly noise: NoiseKind;
  readonly noiseStd: number;
  readonly noiseEpsilon: number;
  readonly jitter: number;
  readonly importanceWeight: number;
  readonly loadWeight: number;
  private readonly noiseWeight?: tf.Variable;

  constructor(config: TopKRouterConfig, owner = 'TopKRouter', knownFields: readonly string[] = TOP_K_FIELDS) {
    super(owner, config, knownFields, { droplessByDefault: false });
    this.k = config.k ?? 2;
    checkInt(owner, 'k', this.k, 1, this.numExperts);
    this.normalize = config.normalize ?? this.k > 1;
    checkBoolean(owner, 'normalize', this.normalize);
    if (this.normalize && this.k === 1) {
      throw new Error(`${owner}: normalize must be false when k = 1 (the single weight would be the constant 1 and the router would get no gradient)`);
    }
    this.noise = config.noise ?? 'none';
    checkOneOf(owner, 'noise', this.noise, NOISE_KINDS);
    this.noiseStd = config.noiseStd ?? 1;
    checkNumber(owner, 'noiseStd', this.noiseStd, 0, Infinity, true);
    this.noiseEpsilon = config.noiseEpsilon ?? 1e-2;
    checkNumber(owner, 'noiseEpsilon', this.noiseEpsilon, 0);
    this.jitter = config.jitter ?? 0;
    checkNumber(owner, 'jitter', this.jitter, 0, 1);
    this.importanceWeight = config.importanceWeight ?? DEFAULT_LOSS_COEFFICIENTS.importance;
    checkNumber(owner, 'importanceWeight', this.importanceWeight, 0);
    this.loadWeight = config.loadWeight ?? DEFAULT_LOSS_COEFFICIENTS.load;
    checkNumber(owner, 'loadWeight', this.loadWeight, 0);
    // tensor2tensor starts W_noise at zero: the noise scale starts at softplus(0) + ε for every expert.
    if (this.noise === 'learned') this.noiseWeight = this.addParam('noise.w', tf.zeros([this.inputDim, this.numExperts]));
  }

  protected slotsPerToken(): number {
    return this.k;
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x);
    const training = options.training;
    const seed = this.seeds.next(options.seed);
    return tidyObject(() => {
      const input = training && this.jitter > 0 ? jitter(x, this.jitter, deriveSeed(seed, 'jitter')) : x;
      const logits = this.gate.apply(input);
      const probs = tf.softmax(logits);
      const noisy = training && this.noise !== 'none';
      const std = noisy ? this.noiseScale(input) : undefined;
      const scores: tf.Tensor2D = std ? tf.add<tf.Tensor2D>(logits, tf.mul(tf.randomNormal(logits.shape, 0, 1, 'float32', deriveSeed(seed, 'noise')), std)) : logits;
      const { indices, weights } = selectTopK(scores, std ? tf.softmax(scores) : probs, this.k, this.normalize);
      const parts: Record<string, tf.Scalar> = {};
      if (std) {
        parts.importance = tf.mul(this.importanceWeight, importanceLoss(maskRows(scatterColumns(indices, weights, this.numExperts), options.tokenMask)));
        // The smooth load estimator needs a (k+1)-th value; with k = E every expert is always "in".
        if (this.k < this.numExperts) parts.load = tf.mul(this.loadWeight, loadLoss(logits, scores, std, this.k, options.tokenMask));
      }
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts(parts) };
    });
  }

  /** Noise standard deviation [T, E] for the training noise. */
  private noiseScale(input: tf.Tensor2D): tf.Tensor2D {
    const shape: [number, number] = [input.shape[0], this.numExperts];
    if (this.noise === 'gaussian') return tf.fill(shape, this.noiseStd / this.numExperts);
    return tf.add<tf.Tensor2D>(tf.softplus(tf.matMul(input, this.noiseWeight as tf.Variable)), this.noiseEpsilon);
  }

  getConfig(): ModuleConfig {
    return {
      ...this.tokenChoiceConfig(),
      k: this.k,
      normalize: this.normalize,
      noise: this.noise,
      noiseStd: this.noiseStd,
      noiseEpsilon: this.noiseEpsilon,
      jitter: this.jitter,
      importanceWeight: this.importanceWeight,
      loadWeight: this.loadWeight,
    };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { MoeConfigError } from '../errors/moe-error.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, GatedRouter, type GatedRouterConfig } from './gated-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { seededDropout } from './randomness.js';
import { selectTopK } from './token-choice.js';
import { checkInt, checkNumber } from './validate.js';

/** Configuration of {@link UncertaintyCalibratedRouter}. */
export interface UncertaintyCalibratedRouterConfig extends GatedRouterConfig {
  /** Experts per token (default 2). */
  k?: number;
  /** Monte-Carlo dropout samples M of the gate (default 5, as MoFME). */
  samples?: number;
  /** Dropout rate on the gate input for the samples (default 0.1). */
  dropout?: number;
  /** κ of the probit-style shrinkage ℓ̃ = ℓ / √(1 + κ·σ²) (default π/8, MacKay's approximation of E[sigmoid]). */
  kappa?: number;
}

const FIELDS = [...GATED_FIELDS, 'k', 'samples', 'dropout', 'kappa'] as const;

/** Per-token routing uncertainty from the Monte-Carlo samples. */
export interface RoutingUncertainty {
  /** [T] mutual information between the expert choice and the dropout mask (BALD): H(E_m p_m) − E_m H(p_m), nats. */
  mutualInformation: tf.Tensor1D;
  /** [T] entropy of the plain (dropout-free) router's softmax, the baseline a calibration must beat. */
  entropy: tf.Tensor1D;
}

/**
 * A working uncertainty-aware router (UaR) for MoFME, written for the deweathering app and kept here so every
 * router lives in one place (its variable names, `gate.*`, are those of the app's saved checkpoints).
 *
 * Why not {@link UncertaintyRouter} as is (it follows the paper's r̃ = Σ⁻¹(r − μ)/‖Σ⁻¹(r − μ)‖): (i) the sign
 * of r − μ (plain top-k weights minus the MC mean) is sampling noise, so the combine weights flip sign at
 * random; (ii) a token whose samples agree has r = μ and gets weight 0, so a confident token's experts are
 * switched off; (iii) evaluation uses the plain router, so the network is trained with one combine rule and
 * evaluated with another. This router keeps the paper's ingredients (M dropout samples of the gate, their
 * spread as uncertainty) and uses them in a way that is stable and identical in training and evaluation:
 *
 *   ℓ = gate(x),  ℓ_m = gate(dropout_m(x)) for m = 1..M,  σ²_e = Var_m ℓ_{m,e},
 *   ℓ̃_e = ℓ_e / √(1 + κ·σ²_e),  experts = top-k(ℓ̃),  weights = softmax(ℓ̃) over the k, renormalised.
 *
 * An expert whose logit the router is unsure about is pulled towards the uniform weight (the probit
 * approximation of the expected softmax under Gaussian logit noise), so the mixture hedges exactly where the
 * router is uncertain. Evaluation draws the same M samples from a fixed seed (deterministic per input shape).
 * Dropless: it has no capacity fields (a per-call `capacity` given to the MoE layer still applies).
 */
export class UncertaintyCalibratedRouter extends GatedRouter {
  readonly kind = 'UncertaintyCalibratedRouter';
  readonly k: number;
  readonly samples: number;
  readonly dropout: number;
  readonly kappa: number;

  constructor(config: UncertaintyCalibratedRouterConfig) {
    super('UncertaintyCalibratedRouter', config, FIELDS);
    this.k = config.k ?? 2;
    checkInt(this.kind, 'k', this.k, 1, this.numExperts);
    this.samples = config.samples ?? 5;
    checkInt(this.kind, 'samples', this.samples, 2);
    this.dropout = config.dropout ?? 0.1;
    // Both ends open: without dropout the M samples are identical (no uncertainty), with 1 they are all zero.
    if (typeof this.dropout !== 'number' || !(this.dropout > 0 && this.dropout < 1)) {
      throw new MoeConfigError('invalid_field', this.kind, `${this.kind}: dropout must be a finite number in (0, 1) (without dropout the samples are identical); got ${JSON.stringify(config.dropout)}`, 'dropout');
    }
    this.kappa = config.kappa ?? Math.PI / 8;
    checkNumber(this.kind, 'kappa', this.kappa, 0);
  }

  /** Logits of the plain gate [T, E] and of the M dropout samples [M, T, E] (public for diagnostics and tests). */
  sampleLogits(x: tf.Tensor2D, seed: number): { plain: tf.Tensor2D; samples: tf.Tensor3D } {
    return tf.tidy(() => {
      const plain = this.gate.apply(x);
      const draws: tf.Tensor2D[] = [];
      for (let m = 0; m < this.samples; m++) draws.push(this.gate.apply(seededDropout(x, this.dropout, deriveSeed(seed, `mc${m}`))));
      return { plain, samples: tf.stack(draws) as tf.Tensor3D };
    });
  }

  /** ℓ̃ = ℓ / √(1 + κ·Var_m ℓ_m): the calibrated logits the routing decision and weights come from. */
  calibratedLogits(x: tf.Tensor2D, seed: number): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      const { plain, samples } = this.sampleLogits(x, seed);
      const variance = tf.moments(samples, 0).variance;
      return tf.div(plain, tf.sqrt(tf.add(1, tf.mul(this.kappa, variance)))) as tf.Tensor2D;
    });
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    const seed = options.training ? this.seeds.next(options.seed) : (options.seed ?? deriveSeed(this.seed, 'eval'));
    return tidyObject(() => {
      const logits = this.calibratedLogits(x, seed);
      const probs = tf.softmax(logits) as tf.Tensor2D;
      const { indices, weights } = selectTopK(logits, probs, this.k, true);
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts({}) };
    });
  }

  /** Per-token uncertainty with the same samples `route` draws in evaluation (pass the same seed to match a training call). */
  uncertainty(x: tf.Tensor2D, seed = deriveSeed(this.seed, 'eval')): RoutingUncertainty {
    this.checkInput(x);
    return tf.tidy(() => {
      const { plain, samples } = this.sampleLogits(x, seed);
      const entropyOf = (p: tf.Tensor): tf.Tensor => tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-12))), -1));
      const p = tf.softmax(samples); // [M, T, E]
      const mutualInformation = tf.sub(entropyOf(tf.mean(p, 0)), tf.mean(entropyOf(p), 0)) as tf.Tensor1D;
      return { mutualInformation: tf.relu(mutualInformation) as tf.Tensor1D, entropy: entropyOf(tf.softmax(plain)) as tf.Tensor1D };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.gatedConfig(), k: this.k, samples: this.samples, dropout: this.dropout, kappa: this.kappa };
  }
}

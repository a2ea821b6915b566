import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import type { CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { seededDropout } from './randomness.js';
import { pickColumns, scatterColumns } from './selection.js';
import { selectTopK } from './token-choice.js';
import { solveSpd } from './batched-solve.js';
import { checkInt, checkNumber } from './validate.js';

/** Configuration of {@link UncertaintyRouter}. */
export interface UncertaintyRouterConfig extends GatedRouterConfig, CapacityConfig {
  /** Experts per token of the underlying top-k router (MoFME: softmax over KeepTopK). Default 2. */
  k?: number;
  /** Monte-Carlo samples M (default 5). */
  samples?: number;
  /** Dropout rate on the router input for the MC samples (default 0.1). */
  dropout?: number;
  /** Ridge λ added to the sample covariance so it is invertible (default 1e-5; M < E makes Σ rank-deficient). */
  ridge?: number;
}

const FIELDS = [...GATED_FIELDS, 'k', 'samples', 'dropout', 'ridge'] as const;

/**
 * MoFME's uncertainty-aware router (Zhang et al. 2024), implemented from the paper's description (the
 * released code samples a dropout-free router, so its samples are identical; see vision.md §2). The router
 * r(x) = softmax(KeepTopK(x W_g)) is run M more times with Monte-Carlo dropout on its input; with the sample
 * mean μ and covariance Σ (+ λI) per token, the calibrated weights are the direction
 * r̃ = Σ⁻¹(r − μ) / ‖Σ⁻¹(r − μ)‖₂, read at the experts r selected. Training only; evaluation uses the plain
 * router, as the released code does. Deterministic given `RouteOptions.seed`. Unverified against the
 * authors' results: treat the calibration as experimental.
 */
export class UncertaintyRouter extends TokenChoiceRouter {
  readonly kind = 'UncertaintyRouter';
  readonly k: number;
  readonly samples: number;
  readonly dropout: number;
  readonly ridge: number;

  constructor(config: UncertaintyRouterConfig) {
    super('UncertaintyRouter', config, FIELDS, { droplessByDefault: true });
    this.k = config.k ?? 2;
    checkInt(this.kind, 'k', this.k, 2, this.numExperts);
    this.samples = config.samples ?? 5;
    checkInt(this.kind, 'samples', this.samples, 2);
    this.dropout = config.dropout ?? 0.1;
    checkNumber(this.kind, 'dropout', this.dropout, 0, 1, true);
    if (this.dropout >= 1) throw new Error(`${this.kind}: dropout must be < 1; got ${this.dropout}`);
    this.ridge = config.ridge ?? 1e-5;
    checkNumber(this.kind, 'ridge', this.ridge, 0, Infinity, true);
  }

  protected slotsPerToken(): number {
    return this.k;
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    const seed = this.seeds.next(options.seed);
    return tidyObject(() => {
      const logits = this.gate.apply(x);
      const probs = tf.softmax(logits);
      const plain = selectTopK(logits, probs, this.k, true);
      if (!options.training) return { mode: 'token-choice' as const, ...plain, probs, logits, aux: auxFromParts({}) };
      const E = this.numExperts;
      const dense = (idx: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D => scatterColumns(idx, w, E);
      const r = dense(plain.indices, plain.weights);
      const draws: tf.Tensor2D[] = [];
      for (let m = 0; m < this.samples; m++) {
        const l = this.gate.apply(seededDropout(x, this.dropout, deriveSeed(seed, `mc${m}`)));
        const s = selectTopK(l, tf.softmax(l), this.k, true);
        draws.push(dense(s.indices, s.weights));
      }
      const calibrated = uncertaintyCalibration(r, tf.stack(draws, 1) as tf.Tensor3D, this.ridge);
      return { mode: 'token-choice' as const, indices: plain.indices, weights: pickColumns(calibrated, plain.indices), probs, logits, aux: auxFromParts({}) };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.tokenChoiceConfig(), k: this.k, samples: this.samples, dropout: this.dropout, ridge: this.ridge };
  }
}

/**
 * MoFME's calibration of one routing vector per token: with the Monte-Carlo draws' mean μ and population
 * covariance Σ = (1/M) Σ_m (d_m − μ)(d_m − μ)ᵀ (+ ridge·I), the direction y = Σ⁻¹(r − μ) normalised to unit
 * length. `r` [T, E] is the plain router's dense weights, `draws` [T, M, E] the M dropout samples'.
 * Differentiable in both. Exported for its hand-computed spec.
 */
export function uncertaintyCalibration(r: tf.Tensor2D, draws: tf.Tensor3D, ridge: number): tf.Tensor2D {
  const [T, M, E] = draws.shape;
  if (r.rank !== 2 || r.shape[0] !== T || r.shape[1] !== E) throw new Error(`uncertaintyCalibration: r must have shape [${T}, ${E}] (draws are [${draws.shape}]); got [${r.shape}]`);
  return tf.tidy(() => {
    const mu = tf.mean(draws, 1) as tf.Tensor2D;
    const dev = tf.sub(draws, tf.expandDims(mu, 1)) as tf.Tensor3D;
    const cov = tf.div(tf.matMul(dev, dev, true, false), M) as tf.Tensor3D; // [T, E, E]
    const sigma = tf.add(cov, tf.mul(tf.eye(E), ridge)) as tf.Tensor3D;
    const y = solveSpd(sigma, tf.sub(r, mu) as tf.Tensor2D);
    return tf.div(y, tf.add(tf.norm(y, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
  });
}

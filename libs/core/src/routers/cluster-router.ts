import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { Router, type DenseRouting, type RouteOptions, type TokenChoiceRouting } from './router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { detached, stopGradient } from './selection.js';
import { checkBoolean, checkInt, checkKnownKeys, checkNumber, checkRouteMask, checkTokens } from './validate.js';

/** Configuration of {@link ClusterRouter}. */
export interface ClusterRouterConfig {
  /** Width of the sample embedding e (AdaptDHM: the concatenated field embeddings). */
  inputDim: number;
  /** Clusters K = number of cluster towers (experts). */
  numClusters: number;
  /** Soft-assignment iterations per batch (AdaptDHM `dlm_iters` 3). */
  iterations?: number;
  /** Centre momentum β: C ← normalise(β C + (1 − β) Ĉ) (AdaptDHM 0.9). */
  momentum?: number;
  /** Hard routing to the arg-max cluster (AdaptDHM; default) or dense routing by the coefficients. */
  hard?: boolean;
  seed?: number;
}

const FIELDS = ['kind', 'inputDim', 'numClusters', 'iterations', 'momentum', 'hard', 'seed'] as const;

/**
 * AdaptDHM / ADL distribution-adaptive cluster routing (Li et al. 2022): similarity of each (detached)
 * embedding to K L2-normalised centres, distribution coefficient r = softmax_k(e · c_k), and in training a
 * momentum update of the centres towards the r-weighted batch means, repeated `iterations` times (the
 * Scenario-Wise-Rec variant: update inside each iteration, training only; coefficients recomputed after).
 * Hard mode routes each sample to its arg-max cluster with weight 1 (token-choice, k = 1); soft mode returns
 * the coefficients as dense weights. The centres are a non-trainable variable ('centres'), so unlike both
 * reference implementations they are saved and restored with the model.
 */
export class ClusterRouter extends Router {
  readonly kind = 'ClusterRouter';
  readonly inputDim: number;
  readonly numExperts: number;
  readonly iterations: number;
  readonly momentum: number;
  readonly hard: boolean;
  readonly seed: number;
  readonly centres: tf.Variable;

  constructor(config: ClusterRouterConfig) {
    super();
    const owner = 'ClusterRouter';
    if (config == null || typeof config !== 'object') throw new Error(`${owner}: config must be an object; got ${String(config)}`);
    checkKnownKeys(owner, config, FIELDS);
    checkInt(owner, 'inputDim', config.inputDim);
    checkInt(owner, 'numClusters', config.numClusters);
    this.iterations = config.iterations ?? 3;
    checkInt(owner, 'iterations', this.iterations);
    this.momentum = config.momentum ?? 0.9;
    checkNumber(owner, 'momentum', this.momentum, 0, 1);
    this.hard = config.hard ?? true;
    checkBoolean(owner, 'hard', this.hard);
    this.seed = config.seed ?? 0;
    checkInt(owner, 'seed', this.seed, 0);
    this.inputDim = config.inputDim;
    this.numExperts = config.numClusters;
    const init = tf.tidy(() => l2Rows(tf.randomNormal([config.numClusters, config.inputDim], 0, 1, 'float32', deriveSeed(this.seed, 'centres'))));
    this.centres = this.addParam('centres', init, false);
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting | DenseRouting {
    checkTokens(this.kind, 'x', x, this.inputDim);
    checkRouteMask(this.kind, options.tokenMask, x.shape[0]);
    const update = options.training && (options.updateState ?? true);
    const mask = options.tokenMask;
    return tidyObject(() => {
      const e = stopGradient(x); // AdaptDHM computes the routing under no_grad
      let C: tf.Tensor2D = this.centres as tf.Tensor as tf.Tensor2D;
      if (update) {
        for (let i = 0; i < this.iterations; i++) {
          // Padding (tokenMask 0) gets no weight in the batch centres.
          const soft = tf.softmax(tf.matMul(e, C, false, true));
          const r = mask ? tf.mul(soft, tf.expandDims(mask, 1)) : soft;
          const batchCentres = l2Rows(tf.matMul(r, e, true, false)); // [K, D] r-weighted sums, normalised
          C = l2Rows(tf.add(tf.mul(this.momentum, C), tf.mul(1 - this.momentum, batchCentres)));
        }
        this.centres.assign(C);
      }
      const logits = tf.matMul(e, C, false, true) as tf.Tensor2D;
      const probs = tf.softmax(logits);
      if (!this.hard) return { mode: 'dense' as const, weights: tf.clone(probs), probs, logits, aux: auxFromParts({}) };
      const T = x.shape[0];
      const indices = detached((p) => tf.reshape(tf.cast(tf.argMax(p, 1), 'int32'), [T, 1]) as tf.Tensor2D, probs);
      return { mode: 'token-choice' as const, indices, weights: tf.ones([T, 1]) as tf.Tensor2D, probs, logits, aux: auxFromParts({}) };
    });
  }

  getConfig(): ModuleConfig {
    return { kind: this.kind, inputDim: this.inputDim, numClusters: this.numExperts, iterations: this.iterations, momentum: this.momentum, hard: this.hard, seed: this.seed };
  }
}

function l2Rows(m: tf.Tensor2D): tf.Tensor2D {
  return tf.div(m, tf.add(tf.norm(m, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
}

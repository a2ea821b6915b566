import * as tf from '@tensorflow/tfjs-core';
import { tidyObject } from '../experts/tidy-object.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { ClusterRouter } from '../routers/cluster-router.js';
import { disposeRouting, type TokenChoiceRouting } from '../routers/router.js';
import { checkInt, checkNumber, checkOneOf } from '../routers/validate.js';
import { applyRouted, type RoutedDispatch } from './routed-experts.js';
import { StarTowers } from './star-towers.js';

/** Configuration of {@link AdaptDhm}. */
export interface AdaptDhmConfig {
  /** Width of the tower input x. */
  inputDim: number;
  /** Width of the tensor routed on (AdaptDHM: the concatenated field embeddings, a slice of x). */
  routeDim: number;
  /** Cluster towers K. */
  numClusters: number;
  /** Soft-assignment iterations per batch (default 3) and centre momentum β (default 0.9). */
  iterations?: number;
  momentum?: number;
  /** Tower layer widths, the last one the output. */
  sizes: number[];
  /** Default 'sparse': each row runs only its cluster's tower. */
  dispatch?: RoutedDispatch;
  seed?: number;
}

/**
 * AdaptDHM / ADL (Li et al. 2022): a distribution-adaptation module (`ClusterRouter`: similarity to K
 * momentum-updated centres, arg-max hard routing) sends each row to one of K star-product cluster towers, and
 * only that tower runs. Routing reads a different tensor than the towers (the detached embedding slice),
 * so it is a separate step: `route` (run before the differentiable pass; in training it moves the centres,
 * as ADL does under no_grad) returns the group ids that `apply` dispatches x by, through the kernels'
 * dispatch plan. K = 1 is the no-routing ablation.
 */
export class AdaptDhm extends Module {
  readonly kind = 'AdaptDhm';
  readonly config: Required<AdaptDhmConfig>;
  readonly router: ClusterRouter;
  readonly towers: StarTowers;

  constructor(config: AdaptDhmConfig) {
    super();
    this.config = { iterations: 3, momentum: 0.9, dispatch: 'sparse', seed: 0, ...config };
    const c = this.config;
    checkInt('AdaptDhm', 'routeDim', c.routeDim);
    checkInt('AdaptDhm', 'numClusters', c.numClusters);
    checkNumber('AdaptDhm', 'momentum', c.momentum, 0, 1);
    checkOneOf('AdaptDhm', 'dispatch', c.dispatch, ['sparse', 'dense']);
    this.router = this.addChild('router', new ClusterRouter({ inputDim: c.routeDim, numClusters: c.numClusters, iterations: c.iterations, momentum: c.momentum, seed: deriveSeed(c.seed, 'router') }));
    this.towers = this.addChild('towers', new StarTowers({ inputDim: c.inputDim, sizes: c.sizes, numTowers: c.numClusters, seed: deriveSeed(c.seed, 'towers') }));
  }

  /** Cluster of each row of `routeOn` [B, routeDim] → [B, 1] int32 (updates the centres when `training`). */
  route(routeOn: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (this.config.numClusters === 1) return tf.zeros([routeOn.shape[0], 1], 'int32');
    const r = this.router.route(routeOn, { training }) as TokenChoiceRouting;
    const groups = tf.clone(r.indices);
    disposeRouting(r);
    return groups;
  }

  /** Each row of x [B, inputDim] through the tower of its group ([B, 1] int32, from `route` or given). */
  apply(x: tf.Tensor2D, groups: tf.Tensor2D): tf.Tensor2D {
    return tidyObject(() => applyRouted(this.towers, x, groups, this.config.dispatch));
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModuleConfig;
  }
}

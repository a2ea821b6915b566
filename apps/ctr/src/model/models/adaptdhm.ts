import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@moe/core';
import type { EncodedLayout } from '../../features/encoded-batch.js';
import { CtrModel, type ModelInputs } from '../ctr-model.js';
import type { ForwardContext } from '../forward-context.js';
import { makeGroupPlan, type GroupPlan } from '../layers/group-dispatch.js';
import { StarTowerBank } from '../layers/star-tower-bank.js';
import type { ModelConfig } from '../model-config.js';

function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12));
}

/**
 * AdaptDHM / ADL (Li et al. 2022): a distribution-adaptation module routes each row to one of K cluster
 * towers by similarity to K centres C (not trained by gradients; momentum-updated from soft assignments in
 * training only, then saved with the weights), and only the routed tower runs (sparse dispatch).
 * Routing (T iterations, Scenario-Wise-Rec variant): r = softmax(e·Cᵀ); ĉ = normalize(rᵀe);
 * C ← normalize(β·C + (1−β)·Ĉ); tower = argmax r, with e = the detached field embeddings.
 * Ablations: `clusters` = 1, and `routing: 'domain'` (towers indexed by the declared domain instead).
 */
export class AdaptDhmModel extends CtrModel {
  readonly kind = 'AdaptDHM';
  readonly numGroups: number;
  private readonly centers: tf.Variable;
  private readonly towers: StarTowerBank;
  private readonly domainBias: tf.Variable;
  private lastCounts: number[] = [];

  constructor(layout: EncodedLayout, config: ModelConfig) {
    super(layout, config);
    this.numGroups = config.routing === 'domain' ? layout.numDomains : config.clusters;
    const init = tf.tidy(() => l2normalize(tf.randomNormal([config.clusters, this.embeddingWidth], 0, 1, 'float32', deriveSeed(config.seed, 'centers'))));
    this.centers = this.addParam('centers', init, false);
    this.towers = this.addChild('towers', new StarTowerBank(this.inputDim, [...config.hidden, this.numTasks], this.numGroups, deriveSeed(config.seed, 'towers')));
    // Per-domain output bias: the per-domain head (and calibration) every model in this app gets.
    this.domainBias = this.addParam('domainBias', tf.zeros([layout.numDomains, this.numTasks]));
  }

  override async plan(inputs: ModelInputs, training: boolean): Promise<GroupPlan> {
    if (this.config.routing === 'domain') return makeGroupPlan(inputs.domain, this.numGroups);
    if (this.numGroups === 1) return makeGroupPlan(new Int32Array(inputs.size), 1);
    const { assignment, centers } = tf.tidy(() => {
      const e = tf.slice(this.embed(inputs), [0, 0], [-1, this.embeddingWidth]);
      let c = this.centers as tf.Tensor as tf.Tensor2D;
      let r: tf.Tensor2D = tf.softmax(tf.matMul(e, c, false, true));
      for (let it = 0; it < this.config.routingIterations; it++) {
        if (training) {
          const batchCenters = l2normalize(tf.matMul(r, e, true, false));
          c = l2normalize(tf.add(tf.mul(c, this.config.centerMomentum), tf.mul(batchCenters, 1 - this.config.centerMomentum)));
        }
        r = tf.softmax(tf.matMul(e, c, false, true));
      }
      return { assignment: tf.argMax(r, 1), centers: training ? c : undefined };
    });
    if (centers) {
      this.centers.assign(centers);
      centers.dispose();
    }
    const routes = Int32Array.from(await assignment.data());
    assignment.dispose();
    const plan = makeGroupPlan(routes, this.numGroups);
    this.lastCounts = plan.counts;
    return plan;
  }

  override routingSummary(): Record<string, number[]> {
    return { clusterCounts: this.lastCounts };
  }

  logits(x: tf.Tensor2D, inputs: ModelInputs, _ctx: ForwardContext): tf.Tensor2D {
    if (!inputs.plan) throw new Error('AdaptDHM.logits: inputs.plan is missing (call plan() first: routing is decided before the forward pass)');
    return tf.add(this.towers.apply(x, inputs.plan, this.config.dispatch), tf.matMul(inputs.domainOneHot, this.domainBias));
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';
import type { ForwardContext } from '../forward-context.js';
import { glorot } from './dense.js';
import { Mlp } from './mlp.js';

/**
 * Per-task towers with a per-(domain, task) output layer: task t's tower (shared by domains) maps its input
 * to h_t, then logit = h_t · w[t, d] + b[t, d] with the row's domain d. Gives every model domain-specific
 * heads (and per-domain calibration) at the cost of D·(k+1) parameters per task.
 */
export class DomainTaskHeads extends Module {
  readonly kind = 'CtrDomainTaskHeads';
  private readonly towers: Mlp[] = [];
  private readonly w: tf.Variable[] = [];
  private readonly b: tf.Variable[] = [];

  constructor(readonly inputDim: number, readonly numTasks: number, readonly numDomains: number, readonly towerSizes: readonly number[], readonly seed: number) {
    super();
    for (let t = 0; t < numTasks; t++) {
      const tower = this.addChild(`tower${t}`, new Mlp(inputDim, towerSizes, deriveSeed(seed, `tower${t}`)));
      this.towers.push(tower);
      // [D, k] initialised like one Dense k→1 repeated per domain.
      const init = tf.tidy(() => tf.tile(tf.transpose(glorot([tower.outputDim, 1], deriveSeed(seed, `out${t}`))), [numDomains, 1]));
      this.w.push(this.addParam(`w${t}`, init));
      this.b.push(this.addParam(`b${t}`, tf.zeros([numDomains, 1])));
    }
  }

  /** inputs: one [B, in] tensor per task (or one shared by all); returns logits [B, T]. */
  apply(inputs: tf.Tensor2D | tf.Tensor2D[], domainOneHot: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const logits: tf.Tensor2D[] = [];
    for (let t = 0; t < this.numTasks; t++) {
      const h = this.towers[t].apply(Array.isArray(inputs) ? inputs[t] : inputs, ctx);
      const wRow = tf.matMul(domainOneHot, this.w[t]); // [B, k]
      logits.push(tf.add(tf.sum(tf.mul(h, wRow), 1, true), tf.matMul(domainOneHot, this.b[t])));
    }
    return tf.concat(logits, 1);
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, numTasks: this.numTasks, numDomains: this.numDomains, towerSizes: [...this.towerSizes], seed: this.seed };
  }
}

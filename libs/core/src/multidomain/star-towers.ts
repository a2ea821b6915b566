import * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from '@moe/kernels';
import { checkInput } from '../experts/check.js';
import { ExpertBank } from '../experts/expert-bank.js';
import { glorotUniform } from '../experts/init.js';
import { withGroupedOps } from '../experts/linear-ops.js';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt, checkIntArray } from '../routers/validate.js';

/** Configuration of {@link StarTowers}. */
export interface StarTowersConfig {
  inputDim: number;
  /** Layer widths, the last one the output (e.g. one logit per task). */
  sizes: number[];
  /** Towers G: one per domain (STAR) or per learned cluster (AdaptDHM). */
  numTowers: number;
  seed?: number;
}

/**
 * G star-topology towers (STAR, Sheng et al. 2021) as an expert bank: at every layer tower g uses
 * W = W_shared ⊙ W_g and b = b_shared + b_g, ReLU between layers, linear output. W_g starts at 1 and b_g at 0,
 * so every tower starts as the shared one. Run per row with `applyRouted` (sparse dispatch through the plan).
 * AdaptDHM's cluster towers are the same product (its Scenario-Wise-Rec re-implementation: at every layer).
 */
export class StarTowers extends ExpertBank {
  readonly kind = 'StarTowers';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly numExperts: number;
  readonly sizes: number[];
  readonly seed: number;
  private readonly shared: { w: tf.Variable; b: tf.Variable }[] = [];
  private readonly specific: { w: tf.Variable; b: tf.Variable }[] = [];

  constructor(config: StarTowersConfig) {
    super();
    checkInt('StarTowers', 'inputDim', config.inputDim);
    checkInt('StarTowers', 'numTowers', config.numTowers);
    checkIntArray('StarTowers', 'sizes', config.sizes);
    if (config.sizes.length === 0) throw new Error('StarTowers: sizes must list at least one layer; got []');
    this.inputDim = config.inputDim;
    this.numExperts = config.numTowers;
    this.sizes = [...config.sizes];
    this.seed = config.seed ?? 0;
    this.outputDim = this.sizes[this.sizes.length - 1];
    let width = this.inputDim;
    this.sizes.forEach((size, l) => {
      this.shared.push({ w: this.addParam(`w${l}`, glorotUniform([width, size], deriveSeed(this.seed, `w${l}`))), b: this.addParam(`b${l}`, tf.zeros([size])) });
      this.specific.push({ w: this.addParam(`towerW${l}`, tf.ones([this.numExperts, width, size])), b: this.addParam(`towerB${l}`, tf.zeros([this.numExperts, size])) });
      width = size;
    });
  }

  forwardGrouped(x: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D {
    checkInput('StarTowers.forwardGrouped', 'x', x, [2], this.inputDim);
    return withGroupedOps(plan, (ops) => {
      let h = x;
      this.shared.forEach((s, l) => {
        h = ops.linear(h, tf.mul(s.w, this.specific[l].w), tf.add(s.b, this.specific[l].b));
        if (l < this.shared.length - 1) h = tf.relu(h);
      });
      return h;
    });
  }

  paramsPerExpert(): number {
    let n = 0;
    let width = this.inputDim;
    for (const size of this.sizes) {
      n += 2 * (width * size + size);
      width = size;
    }
    return n;
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, sizes: [...this.sizes], numTowers: this.numExperts, seed: this.seed };
  }
}

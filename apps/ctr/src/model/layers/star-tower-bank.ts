import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';
import { glorot } from './dense.js';
import { dispatchByGroup, maskedByGroup, type GroupPlan } from './group-dispatch.js';

/**
 * G star-topology towers (STAR, Sheng et al. 2021): at every layer group g uses W = W_shared ⊙ W_g and
 * b = b_shared + b_g, ReLU between layers, linear output. STAR uses one group per domain; AdaptDHM one per
 * learned cluster (its Scenario-Wise-Rec re-implementation uses this same product at every layer).
 * W_g starts at 1 so every group starts as the shared tower.
 */
export class StarTowerBank extends Module {
  readonly kind = 'CtrStarTowerBank';
  private readonly shared: { w: tf.Variable; b: tf.Variable }[] = [];
  private readonly specific: { w: tf.Variable; b: tf.Variable }[] = [];

  constructor(readonly inputDim: number, readonly sizes: readonly number[], readonly numGroups: number, readonly seed: number) {
    super();
    let width = inputDim;
    sizes.forEach((size, l) => {
      this.shared.push({ w: this.addParam(`w${l}`, glorot([width, size], deriveSeed(seed, `w${l}`))), b: this.addParam(`b${l}`, tf.zeros([size])) });
      this.specific.push({ w: this.addParam(`groupW${l}`, tf.ones([numGroups, width, size])), b: this.addParam(`groupB${l}`, tf.zeros([numGroups, size])) });
      width = size;
    });
  }

  /** Group g's tower on its rows. */
  runGroup(g: number, rows: tf.Tensor2D): tf.Tensor2D {
    let h = rows;
    this.shared.forEach((s, l) => {
      const [, inW, outW] = this.specific[l].w.shape;
      const wg = tf.reshape(tf.slice(this.specific[l].w, [g, 0, 0], [1, inW, outW]), [inW, outW]);
      const bg = tf.reshape(tf.slice(this.specific[l].b, [g, 0], [1, outW]), [outW]);
      h = tf.add(tf.matMul(h, tf.mul(s.w, wg)), tf.add(s.b, bg));
      if (l < this.shared.length - 1) h = tf.relu(h);
    });
    return h;
  }

  /** Each row through its group's tower: sparse (gather rows per group) or dense-masked (every tower on every row). */
  apply(x: tf.Tensor2D, plan: GroupPlan, dispatch: 'sparse' | 'dense'): tf.Tensor2D {
    const run = (g: number, rows: tf.Tensor2D) => this.runGroup(g, rows);
    return dispatch === 'dense' ? maskedByGroup(x, plan, run) : dispatchByGroup(x, plan, run);
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, sizes: [...this.sizes], numGroups: this.numGroups, seed: this.seed };
  }
}

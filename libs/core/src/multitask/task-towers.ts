import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform } from '../experts/init.js';
import type { ForwardContext } from '../mlp/forward-context.js';
import { Mlp } from '../mlp/mlp.js';
import type { MlpLayers } from '../mlp/mlp-layers.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt } from '../routers/validate.js';

/** Configuration of {@link TaskTowers}. */
export interface TaskTowersConfig {
  inputDim: number;
  numTasks: number;
  /** Hidden layers of each task's tower before its logit (default ReLU). */
  tower: MlpLayers;
  /** Separate logit layers per side-input value (per-domain heads and calibration); default 1. */
  conditions?: number;
  seed?: number;
}

/**
 * One tower per task ending in one logit: tower t (shared by all conditions) maps its input to h_t, then
 * logit_t = h_t·w[t, d] + b[t, d] with the row's condition d (e.g. its domain) — per-domain heads at
 * D·(k + 1) parameters per task. The condition is picked by a product with the side input [B, D], which
 * differentiates on every backend (no gather gradient).
 */
export class TaskTowers extends Module {
  readonly kind = 'TaskTowers';
  readonly config: TaskTowersConfig & { conditions: number; seed: number };
  private readonly towers: Mlp[] = [];
  private readonly w: tf.Variable[] = [];
  private readonly b: tf.Variable[] = [];

  constructor(config: TaskTowersConfig) {
    super();
    this.config = { conditions: 1, seed: 0, ...config };
    const c = this.config;
    checkInt('TaskTowers', 'numTasks', c.numTasks);
    checkInt('TaskTowers', 'conditions', c.conditions);
    for (let t = 0; t < c.numTasks; t++) {
      const tower = this.addChild(`tower${t}`, new Mlp({ inputDim: c.inputDim, ...c.tower, seed: deriveSeed(c.seed, `tower${t}`) }));
      this.towers.push(tower);
      // [D, k] initialised like one k→1 linear layer repeated per condition.
      const init = tf.tidy(() => tf.tile(tf.transpose(glorotUniform([tower.outputDim, 1], deriveSeed(c.seed, `out${t}`))), [c.conditions, 1]));
      this.w.push(this.addParam(`w${t}`, init));
      this.b.push(this.addParam(`b${t}`, tf.zeros([c.conditions, 1])));
    }
  }

  /** `inputs`: one [B, in] per task (or one for all); `condition` [B, conditions] (required when > 1). Returns logits [B, T]. */
  apply(inputs: tf.Tensor2D | tf.Tensor2D[], ctx: ForwardContext, condition?: tf.Tensor2D): tf.Tensor2D {
    const c = this.config;
    if (Array.isArray(inputs) && inputs.length !== c.numTasks) throw new Error(`TaskTowers.apply: inputs must be one tensor or ${c.numTasks} (one per task); got ${inputs.length}`);
    const B = (Array.isArray(inputs) ? inputs[0] : inputs).shape[0];
    if (c.conditions > 1 && (condition == null || condition.rank !== 2 || condition.shape[0] !== B || condition.shape[1] !== c.conditions)) {
      throw new Error(`TaskTowers.apply: condition must be [${B}, ${c.conditions}]; got ${condition == null ? String(condition) : `[${condition.shape}]`}`);
    }
    return tf.tidy(() => {
      const logits = this.towers.map((tower, t) => {
        const h = tower.apply(Array.isArray(inputs) ? inputs[t] : inputs, ctx);
        if (c.conditions === 1) return tf.add(tf.matMul(h, this.w[t], false, true), tf.reshape(this.b[t], [1, 1]));
        const wRow = tf.matMul(condition as tf.Tensor2D, this.w[t]); // [B, k]
        return tf.add(tf.sum(tf.mul(h, wRow), 1, true), tf.matMul(condition as tf.Tensor2D, this.b[t]));
      });
      return tf.concat(logits, 1) as tf.Tensor2D;
    });
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModuleConfig;
  }
}

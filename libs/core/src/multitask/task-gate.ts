import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { disposeRouting } from '../routers/router.js';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { checkInt, checkOneOf } from '../routers/validate.js';
import { spreadColumns } from './spread-columns.js';

/** Configuration of {@link TaskGate}. */
export interface TaskGateConfig {
  inputDim: number;
  /** Total experts of the level (the width of the weight matrix this gate returns). */
  numExperts: number;
  /** The experts this gate may weight (CGC: shared + its task's own; HoME: the hierarchy mask); default all. */
  visible?: number[];
  /**
   * Gate weights per value of a side input (per-domain gates): `conditions` separate linear gates, the row's
   * own picked by the one-hot (or soft) side input [B, conditions] passed to `apply`. Default 1 (no side input).
   */
  conditions?: number;
  /**
   * 'softmax' (default) over the visible experts; 'self' = HoME's self-gate: σ(logit) when one expert is
   * visible, softmax otherwise (a residual weight, not a convex mixture).
   */
  form?: 'softmax' | 'self';
  /** Hidden layers of the gate network (FuxiCTR MMoE: [128, 64]); default linear. */
  hidden?: number[];
  /** Bias on the logit layer (default false). */
  bias?: boolean;
  /** Variance scale of the logit layer, std = √(scale / fan-in) (default 0.1, near-uniform start). */
  initScale?: number;
  seed?: number;
}

/**
 * A gate over a subset of a level's experts (MMoE / CGC / PLE task and shared gates, HoME gates and
 * self-gates), optionally conditioned on a side input, returning weights [B, numExperts] with zeros on the
 * experts it cannot see: a `SoftmaxRouter` scores conditions × visible experts, the row's condition selects
 * its logits, and the normalised weights are spread to the visible experts' columns.
 */
export class TaskGate extends Module {
  readonly kind = 'TaskGate';
  readonly config: Required<TaskGateConfig>;
  private readonly router: SoftmaxRouter;

  constructor(config: TaskGateConfig) {
    super();
    const visible = config.visible ?? Array.from({ length: config.numExperts }, (_, i) => i);
    this.config = { visible: [...visible], conditions: 1, form: 'softmax', hidden: [], bias: false, initScale: 0.1, seed: 0, ...config };
    const c = this.config;
    checkInt('TaskGate', 'numExperts', c.numExperts);
    checkInt('TaskGate', 'conditions', c.conditions);
    checkOneOf('TaskGate', 'form', c.form, ['softmax', 'self']);
    const bad = c.visible.find((e) => !Number.isInteger(e) || e < 0 || e >= c.numExperts);
    if (bad !== undefined || c.visible.length === 0 || new Set(c.visible).size !== c.visible.length) {
      throw new Error(`TaskGate: visible must be distinct expert ids in [0, ${c.numExperts}); got [${c.visible}]`);
    }
    this.router = this.addChild('router', new SoftmaxRouter({ inputDim: c.inputDim, numExperts: c.visible.length * c.conditions, gateHidden: c.hidden, gateBias: c.bias, gateInitScale: c.initScale, seed: c.seed }));
  }

  get numExperts(): number {
    return this.config.numExperts;
  }

  get visible(): number[] {
    return this.config.visible;
  }

  /** [B, numExperts] weights; `condition` [B, conditions] is required when `conditions` > 1. */
  apply(x: tf.Tensor2D, condition?: tf.Tensor2D): tf.Tensor2D {
    const c = this.config;
    if (c.conditions > 1 && (condition == null || condition.rank !== 2 || condition.shape[0] !== x.shape[0] || condition.shape[1] !== c.conditions)) {
      throw new Error(`TaskGate.apply: condition must be [${x.shape[0]}, ${c.conditions}] (one row per token, e.g. a domain one-hot); got ${condition == null ? String(condition) : `[${condition.shape}]`}`);
    }
    const r = this.router.route(x, { training: false });
    try {
      return tf.tidy(() => {
        const n = c.visible.length;
        let logits = r.logits;
        if (c.conditions > 1) logits = tf.sum(tf.mul(tf.reshape(logits, [-1, c.conditions, n]), tf.expandDims(condition as tf.Tensor2D, 2)), 1) as tf.Tensor2D;
        const weights = c.form === 'self' && n === 1 ? tf.sigmoid(logits) : tf.softmax(logits);
        return n === c.numExperts && c.visible.every((e, i) => e === i) ? weights : spreadColumns(weights, c.visible, c.numExperts);
      });
    } finally {
      disposeRouting(r);
    }
  }

  getConfig(): ModuleConfig {
    return { ...this.config, visible: [...this.config.visible], hidden: [...this.config.hidden] };
  }
}

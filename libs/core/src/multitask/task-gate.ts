import type * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { disposeRouting } from '../routers/router.js';
import { SoftmaxRouter } from '../routers/softmax-router.js';
import { spreadColumns } from './spread-columns.js';

/** Configuration of {@link TaskGate}. */
export interface TaskGateConfig {
  inputDim: number;
  /** Total experts of the level (the width of the weight matrix this gate returns). */
  numExperts: number;
  /** The experts this gate may weight (CGC: shared + its task's own); default all. */
  visible?: number[];
  /** Hidden layers of the gate network (FuxiCTR MMoE: [128, 64]); default linear. */
  hidden?: number[];
  seed?: number;
}

/**
 * A softmax gate over a subset of a level's experts (CGC / PLE task and shared gates), returning weights
 * [T, numExperts] with zeros on the experts it cannot see: a dense `SoftmaxRouter` over the visible experts,
 * spread to their columns.
 */
export class TaskGate extends Module {
  readonly kind = 'TaskGate';
  readonly inputDim: number;
  readonly numExperts: number;
  readonly visible: number[];
  readonly hidden: number[];
  readonly seed: number;
  private readonly router: SoftmaxRouter;

  constructor(config: TaskGateConfig) {
    super();
    this.inputDim = config.inputDim;
    this.numExperts = config.numExperts;
    this.visible = config.visible ?? Array.from({ length: config.numExperts }, (_, i) => i);
    this.hidden = config.hidden ?? [];
    this.seed = config.seed ?? 0;
    const bad = this.visible.find((e) => !Number.isInteger(e) || e < 0 || e >= this.numExperts);
    if (bad !== undefined || this.visible.length === 0 || new Set(this.visible).size !== this.visible.length) {
      throw new Error(`TaskGate: visible must be distinct expert ids in [0, ${this.numExperts}); got [${this.visible}]`);
    }
    this.router = this.addChild('router', new SoftmaxRouter({ inputDim: this.inputDim, numExperts: this.visible.length, gateHidden: this.hidden, seed: this.seed }));
  }

  /** [T, numExperts] weights (rows sum to 1 over the visible experts). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const r = this.router.route(x, { training: false });
    try {
      return spreadColumns(r.weights, this.visible, this.numExperts);
    } finally {
      disposeRouting(r);
    }
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, numExperts: this.numExperts, visible: [...this.visible], hidden: [...this.hidden], seed: this.seed };
  }
}

import type * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { Router, type DenseRouting, type RouteOptions } from './router.js';
import { SoftmaxRouter } from './softmax-router.js';
import { checkInt, checkKnownKeys } from './validate.js';

/** Configuration of {@link MultiGateRouter}: one softmax gate per task. */
export interface MultiGateRouterConfig {
  inputDim: number;
  numExperts: number;
  /** One gate per task (or per domain in multi-domain CTR). */
  numTasks: number;
  seed?: number;
  /** Hidden ReLU layers of each gate (DeepCTR default [] = linear; FuxiCTR [128, 64]). */
  gateHidden?: number[];
  gateBias?: boolean;
  gateInitScale?: number;
  temperature?: number;
}

const FIELDS = ['kind', 'inputDim', 'numExperts', 'numTasks', 'seed', 'gateHidden', 'gateBias', 'gateInitScale', 'temperature'] as const;

/**
 * MMoE multi-gate routing (Ma et al. 2018): task k mixes the shared experts with its own softmax gate
 * g^k(x) = softmax(W_gk x). `route(x, { task })` returns one task's dense routing; `routeAll` every task's.
 * With numTasks = 1 this is OMoE (one gate shared by all tasks). Children are named 'task0', 'task1', ….
 */
export class MultiGateRouter extends Router {
  readonly kind = 'MultiGateRouter';
  readonly inputDim: number;
  readonly numExperts: number;
  readonly numTasks: number;
  readonly seed: number;
  private readonly gates: SoftmaxRouter[] = [];

  constructor(config: MultiGateRouterConfig) {
    super();
    const owner = 'MultiGateRouter';
    if (config == null || typeof config !== 'object') throw new Error(`${owner}: config must be an object; got ${String(config)}`);
    checkKnownKeys(owner, config, FIELDS);
    checkInt(owner, 'numTasks', config.numTasks);
    this.seed = config.seed ?? 0;
    checkInt(owner, 'seed', this.seed, 0);
    for (let t = 0; t < config.numTasks; t++) {
      const gate = new SoftmaxRouter({
        inputDim: config.inputDim,
        numExperts: config.numExperts,
        seed: deriveSeed(this.seed, `task${t}`),
        gateHidden: config.gateHidden,
        gateBias: config.gateBias,
        gateInitScale: config.gateInitScale,
        temperature: config.temperature,
      });
      this.gates.push(this.addChild(`task${t}`, gate));
    }
    this.inputDim = config.inputDim;
    this.numExperts = config.numExperts;
    this.numTasks = config.numTasks;
  }

  /** The gate of `options.task` (default 0). */
  route(x: tf.Tensor2D, options: RouteOptions): DenseRouting {
    const task = options.task ?? 0;
    checkInt(this.kind, 'options.task', task, 0, this.numTasks - 1);
    return this.gates[task].route(x, options);
  }

  /** Every task's routing, in task order. */
  routeAll(x: tf.Tensor2D, options: RouteOptions): DenseRouting[] {
    return this.gates.map((g) => g.route(x, options));
  }

  getConfig(): ModuleConfig {
    const g = this.gates[0].getConfig();
    return {
      kind: this.kind,
      inputDim: this.inputDim,
      numExperts: this.numExperts,
      numTasks: this.numTasks,
      seed: this.seed,
      gateHidden: g.gateHidden,
      gateBias: g.gateBias,
      gateInitScale: g.gateInitScale,
      temperature: g.temperature,
    };
  }
}

import type * as tf from '@tensorflow/tfjs-core';
import type { ActivationName } from '../experts/activation.js';
import { inferenceContext, type ForwardContext } from '../mlp/forward-context.js';
import { resolveMlpLayers, type MlpLayers } from '../mlp/mlp-layers.js';
import { checkInt } from '../routers/validate.js';
import type { TaskGateConfig } from './task-gate.js';

/** Expert and gate options shared by the gated multi-task blocks (`Mmoe`, `Cgc` / `Ple`). */
export interface ExpertGateOptions {
  /**
   * Layers of every expert MLP. Default: the two-layer FFN { sizes: [expertHidden, outputDim], activation,
   * linearOutput: true }. CTR experts: e.g. { sizes: [32, 16] } (ReLU on every layer).
   */
  expertLayers?: MlpLayers;
  /** Hidden width of the default FFN expert (needed without `expertLayers`). */
  expertHidden?: number;
  /** Output width of the default FFN expert (needed without `expertLayers`). */
  outputDim?: number;
  /** Activation of the default FFN expert; default 'relu'. */
  activation?: ActivationName;
  /** Per-side-input gates (e.g. one gate per domain): the number of side-input values; default 1. */
  gateConditions?: number;
  /** Hidden layers of each gate network (default linear). */
  gateHidden?: number[];
  /** Bias on the gates' logit layer (default false). */
  gateBias?: boolean;
  /** Variance scale of the gates' logit layer (default 0.1). */
  gateInitScale?: number;
  /** Names of the tasks in diagnostics keys (`gate/<name>`); default task0, task1, … */
  taskNames?: string[];
}

/** Per-call options of a multi-task block. */
export interface MultiTaskApplyOptions {
  /** Training flag, deferred state updates (BatchNorm) and diagnostics; default inference. */
  ctx?: ForwardContext;
  /** [B, gateConditions] side input selecting each row's gate weights (required when gateConditions > 1). */
  condition?: tf.Tensor2D;
}

/** The expert layers an {@link ExpertGateOptions} describes, validated. */
export function expertLayersOf(owner: string, o: ExpertGateOptions): Required<MlpLayers> {
  if (o.expertLayers) return resolveMlpLayers(owner, 'expertLayers', o.expertLayers);
  checkInt(owner, 'expertHidden', o.expertHidden);
  checkInt(owner, 'outputDim', o.outputDim);
  return resolveMlpLayers(owner, 'expertLayers', { sizes: [o.expertHidden, o.outputDim], activation: o.activation ?? 'relu', linearOutput: true });
}

/** The gate fields of a {@link TaskGateConfig} an {@link ExpertGateOptions} sets. */
export function gateFieldsOf(o: ExpertGateOptions): Pick<TaskGateConfig, 'conditions' | 'hidden' | 'bias' | 'initScale'> {
  return { conditions: o.gateConditions ?? 1, hidden: o.gateHidden ?? [], bias: o.gateBias ?? false, initScale: o.gateInitScale ?? 0.1 };
}

/** Task names for diagnostics, checked against the task count. */
export function taskNamesOf(owner: string, o: ExpertGateOptions, numTasks: number): string[] {
  const names = o.taskNames ?? Array.from({ length: numTasks }, (_, k) => `task${k}`);
  if (names.length !== numTasks) throw new Error(`${owner}: taskNames must name ${numTasks} tasks; got ${names.length}`);
  return [...names];
}

/** The context of a call (inference by default). */
export function contextOf(options: MultiTaskApplyOptions): ForwardContext {
  return options.ctx ?? inferenceContext();
}
